#pragma once

#include <QByteArrayView>
#include <QList>
#include <QString>

// A strict reader of one JSON text (RFC 8259), front to back, without building a document: for replies large
// enough that a QJsonDocument of them costs more time and memory than the values read out of them. Anything that is
// not JSON (a truncated text, a stray comma, a bad escape, nesting deeper than 64) stops it with an error.
//
//     JsonScanner json(body);
//     json.beginObject();
//     QByteArrayView key;
//     while (json.nextMember(&key)) { if (key == "value") ...; else json.skipValue(); }
//     json.finish();
class JsonScanner
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object, Invalid };

    explicit JsonScanner(QByteArrayView text);

    bool ok() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qsizetype offset() const { return m_pos; }

    // The type of the next value (after whitespace); Invalid at the end or on an error.
    Type peek();

    bool beginObject();
    // The next member's key (the value follows: read or skip it); false at the object's end or on an error. The
    // key is valid until the next call.
    bool nextMember(QByteArrayView *key);
    bool beginArray();
    // Whether another element follows (read or skip it); false at the array's end or on an error.
    bool nextElement();

    bool readString(QString *out);
    // A string's UTF-8, as a view into the text where it has no escape, else decoded into scratch (whose capacity
    // is reused): valid while the text and scratch are.
    bool readUtf8(QByteArrayView *out, QByteArray *scratch);
    bool readNumber(double *out);
    bool readNull();
    // Reads and checks a value of any type, keeping nothing.
    bool skipValue();
    // Only whitespace may follow the top-level value.
    bool finish();

private:
    bool fail(const char *what);
    bool open(char bracket, const char *expected);
    // Past the comma before a container's next member or element; false at its end (consumed) or on an error.
    bool advance(char close, const char *commaExpected);
    void skipWhitespace();
    bool expect(char c, const char *what);
    bool readLiteral(QByteArrayView word);
    bool scanString(QByteArray *utf8); // the decoded UTF-8 of a string token
    bool viewString(QByteArrayView *out, QByteArray *scratch);
    bool scanNumber(double *out);

    const char *m_begin;
    const char *m_end;
    qsizetype m_pos = 0;
    QString m_error;
    QList<bool> m_first; // per open container: whether no member or element has been read yet
    QByteArray m_keyScratch;
    QByteArray m_skipScratch;
};
