#include "app/sandbox/ODataFilter.h"

#include <QRegularExpression>
#include <QStringList>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

struct Token
{
    enum class Kind { End, Name, String, Number, Guid, DateTime, Punct };
    Kind kind = Kind::End;
    QString text;
    qsizetype position = 0;
};

class Parser
{
public:
    Parser(const QString &text, const EntitySetDef &set, const QDateTime &now)
        : m_text(text)
        , m_set(set)
        , m_now(now)
    { }

    Result<SqlCondition> parse()
    {
        advance();
        SqlCondition condition;
        if (!parseOr(condition))
            return Error::badInput(m_error);
        if (m_token.kind != Token::Kind::End)
            return Error::badInput(unexpected());
        return condition;
    }

private:
    // ---- tokens ----
    void advance()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
        m_token = Token {};
        m_token.position = m_pos;
        if (m_pos >= m_text.size())
            return;
        const QChar c = m_text.at(m_pos);
        if (c == u'\'') {
            // A string: '' stands for one quote.
            QString value;
            qsizetype i = m_pos + 1;
            for (;;) {
                if (i >= m_text.size()) {
                    m_token.kind = Token::Kind::Punct;
                    m_token.text = u"'"_s;
                    m_unterminated = true;
                    m_pos = m_text.size();
                    return;
                }
                if (m_text.at(i) == u'\'') {
                    if (i + 1 < m_text.size() && m_text.at(i + 1) == u'\'') {
                        value += u'\'';
                        i += 2;
                        continue;
                    }
                    break;
                }
                value += m_text.at(i++);
            }
            m_token.kind = Token::Kind::String;
            m_token.text = value;
            m_pos = i + 1;
            return;
        }
        if (c.isDigit() || c == u'-') {
            qsizetype i = m_pos + 1;
            while (i < m_text.size() &&
                   (m_text.at(i).isLetterOrNumber() || QStringView(u":.-+").contains(m_text.at(i))))
                ++i;
            const QString word = m_text.mid(m_pos, i - m_pos);
            static const QRegularExpression guid(
                u"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"_s);
            static const QRegularExpression integer(u"^-?[0-9]+$"_s);
            if (guid.match(word).hasMatch())
                m_token.kind = Token::Kind::Guid;
            else if (integer.match(word).hasMatch())
                m_token.kind = Token::Kind::Number;
            else if (word.contains(u'T') && QDateTime::fromString(word, Qt::ISODateWithMs).isValid())
                m_token.kind = Token::Kind::DateTime;
            else if (QDate::fromString(word, Qt::ISODate).isValid())
                m_token.kind = Token::Kind::DateTime;
            else
                m_token.kind = Token::Kind::Punct; // reported as unexpected by whoever reads it
            m_token.text = word;
            m_pos = i;
            return;
        }
        // A GUID literal may begin with a letter (a-f): recognise it before reading a name.
        if (c.isLetter()) {
            static const QRegularExpression leadingGuid(
                u"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z_.-])"_s);
            // Anchored at m_pos, on the whole text: match(QStringView) is deprecated from Qt 6.8 and its
            // replacement, matchView, is not in Qt 6.4.
            const auto m = leadingGuid.match(m_text, m_pos, QRegularExpression::NormalMatch,
                                             QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                m_token.kind = Token::Kind::Guid;
                m_token.text = m.captured(0);
                m_pos += m.capturedLength(0);
                return;
            }
        }
        if (c.isLetter() || c == u'_') {
            qsizetype i = m_pos + 1;
            while (i < m_text.size() &&
                   (m_text.at(i).isLetterOrNumber() || m_text.at(i) == u'_' || m_text.at(i) == u'.'))
                ++i;
            m_token.kind = Token::Kind::Name;
            m_token.text = m_text.mid(m_pos, i - m_pos);
            m_pos = i;
            return;
        }
        m_token.kind = Token::Kind::Punct;
        m_token.text = c;
        ++m_pos;
    }

    bool isPunct(QStringView p) const { return m_token.kind == Token::Kind::Punct && m_token.text == p; }
    bool isWord(QStringView w) const { return m_token.kind == Token::Kind::Name && m_token.text == w; }

    QString unexpected() const
    {
        if (m_unterminated)
            return u"Syntax error in $filter: a string that starts at position %1 has no closing quote."_s.arg(
                m_token.position);
        if (m_token.kind == Token::Kind::End)
            return u"Syntax error in $filter: it ends too early."_s;
        return u"Syntax error in $filter at position %1: unexpected '%2'."_s.arg(m_token.position).arg(m_token.text);
    }

    bool fail(QString message)
    {
        if (m_error.isEmpty())
            m_error = std::move(message);
        return false;
    }

    bool expectPunct(QStringView p)
    {
        if (!isPunct(p))
            return fail(m_unterminated ? unexpected()
                                       : u"Syntax error in $filter at position %1: expected '%2' but found '%3'."_s
                                             .arg(m_token.position)
                                             .arg(p)
                                             .arg(m_token.kind == Token::Kind::End ? u"the end"_s : m_token.text));
        advance();
        return true;
    }

    // ---- grammar ----
    bool parseOr(SqlCondition &out)
    {
        if (++m_depth > 100)
            return fail(u"The $filter is nested too deeply."_s);
        if (!parseAnd(out))
            return false;
        while (isWord(u"or")) {
            advance();
            SqlCondition right;
            if (!parseAnd(right))
                return false;
            out.sql = u"("_s + out.sql + u" OR "_s + right.sql + u')';
            out.binds += right.binds;
            out.alternatives.clear(); // they described the left side alone
        }
        --m_depth;
        return true;
    }

    bool parseAnd(SqlCondition &out)
    {
        QList<SqlCondition> terms(1);
        if (!parseUnary(terms.first()))
            return false;
        while (isWord(u"and")) {
            advance();
            SqlCondition right;
            if (!parseUnary(right))
                return false;
            terms << right;
        }
        if (terms.size() == 1) {
            out = terms.first();
            return true;
        }
        const auto conjunction = [&terms](qsizetype replaced, const SqlCondition *with) {
            SqlCondition c;
            QStringList sql;
            for (qsizetype i = 0; i < terms.size(); ++i) {
                const SqlCondition &term = i == replaced ? *with : terms.at(i);
                sql << term.sql;
                c.binds += term.binds;
            }
            c.sql = u"("_s + sql.join(u" AND "_s) + u')';
            return c;
        };
        const auto split =
            std::find_if(terms.cbegin(), terms.cend(), [](const SqlCondition &t) { return !t.alternatives.isEmpty(); });
        if (split == terms.cend()) {
            out = conjunction(-1, nullptr);
            return true;
        }
        // (a AND (x OR y) AND b) as ((a AND x AND b) OR (a AND y AND b)).
        const qsizetype at = split - terms.cbegin();
        QStringList branches;
        out = {};
        for (const SqlCondition &alternative : terms.at(at).alternatives) {
            const SqlCondition branch = conjunction(at, &alternative);
            branches << branch.sql;
            out.binds += branch.binds;
        }
        out.sql = u"("_s + branches.join(u" OR "_s) + u')';
        return true;
    }

    bool parseUnary(SqlCondition &out)
    {
        if (isWord(u"not")) {
            advance();
            if (++m_depth > 100)
                return fail(u"The $filter is nested too deeply."_s);
            SqlCondition inner;
            if (!parseUnary(inner))
                return false;
            --m_depth;
            // A NULL column makes a comparison unknown in SQL; "not" must still exclude only what matched.
            out.sql = u"NOT COALESCE("_s + inner.sql + u", 0)"_s;
            out.binds = inner.binds;
            return true;
        }
        if (isPunct(u"(")) {
            advance();
            if (!parseOr(out))
                return false;
            return expectPunct(u")");
        }
        if (m_token.kind != Token::Kind::Name)
            return fail(unexpected());
        const QString name = m_token.text;
        const qsizetype position = m_token.position;
        advance();
        if (isPunct(u"("))
            return parseFunction(name, position, out);
        return parseComparison(name, position, out);
    }

    const ColumnDef *column(const QString &name, qsizetype position)
    {
        const ColumnDef *c = m_set.columnByJsonName(name);
        if (!c)
            fail(u"Could not find a property named '%1' on type 'Microsoft.Dynamics.CRM.%2' (in $filter at position "
                 u"%3)."_s.arg(name, m_set.logicalName)
                     .arg(position));
        return c;
    }

    static QString edmType(ColumnDef::Type type)
    {
        switch (type) {
        case ColumnDef::Type::Int:
            return u"Edm.Int32"_s;
        case ColumnDef::Type::Text:
            return u"Edm.String"_s;
        case ColumnDef::Type::DateTime:
            return u"Edm.DateTimeOffset"_s;
        case ColumnDef::Type::Guid:
        case ColumnDef::Type::Lookup:
            return u"Edm.Guid"_s;
        }
        return {};
    }

    static QString literalType(Token::Kind kind)
    {
        switch (kind) {
        case Token::Kind::String:
            return u"Edm.String"_s;
        case Token::Kind::Number:
            return u"Edm.Int32"_s;
        case Token::Kind::Guid:
            return u"Edm.Guid"_s;
        case Token::Kind::DateTime:
            return u"Edm.DateTimeOffset"_s;
        default:
            return u"Edm.Boolean"_s;
        }
    }

    // The literal as the value bound for this column, or an invalid QVariant when the types do not fit.
    QVariant literalFor(const ColumnDef &c)
    {
        switch (c.type) {
        case ColumnDef::Type::Int:
            if (m_token.kind == Token::Kind::Number) {
                bool ok = false;
                const qint64 v = m_token.text.toLongLong(&ok);
                return ok ? QVariant(v) : QVariant();
            }
            return {};
        case ColumnDef::Type::Text:
            return m_token.kind == Token::Kind::String ? QVariant(m_token.text) : QVariant();
        case ColumnDef::Type::Guid:
        case ColumnDef::Type::Lookup:
            return m_token.kind == Token::Kind::Guid ? QVariant(m_token.text.toLower()) : QVariant();
        case ColumnDef::Type::DateTime:
            if (m_token.kind != Token::Kind::DateTime)
                return {};
            if (m_token.text.contains(u'T'))
                return ODataFilter::storedDateTime(QDateTime::fromString(m_token.text, Qt::ISODateWithMs));
            return ODataFilter::storedDateTime(
                QDate::fromString(m_token.text, Qt::ISODate).startOfDay(QTimeZone::utc()));
        }
        return {};
    }

    bool parseComparison(const QString &name, qsizetype position, SqlCondition &out)
    {
        const ColumnDef *c = column(name, position);
        if (!c)
            return false;
        static const QHash<QString, QString> operators = {{u"eq"_s, u"="_s},  {u"ne"_s, u"<>"_s}, {u"gt"_s, u">"_s},
                                                          {u"ge"_s, u">="_s}, {u"lt"_s, u"<"_s},  {u"le"_s, u"<="_s}};
        if (m_token.kind != Token::Kind::Name || !operators.contains(m_token.text))
            return fail(
                m_token.kind == Token::Kind::End
                    ? u"Syntax error in $filter: '%1' is not followed by an operator (eq, ne, gt, ge, lt, le)."_s.arg(
                          name)
                    : u"Syntax error in $filter at position %1: expected an operator (eq, ne, gt, ge, lt, le) "
                      u"but found '%2'."_s.arg(m_token.position)
                          .arg(m_token.text));
        const QString op = m_token.text;
        advance();

        if (isWord(u"null")) {
            if (op != u"eq"_s && op != u"ne"_s)
                return fail(u"The operator '%1' cannot compare with null in $filter; use eq or ne."_s.arg(op));
            advance();
            out.sql = c->name + (op == u"eq"_s ? u" IS NULL"_s : u" IS NOT NULL"_s);
            return true;
        }
        if (m_unterminated)
            return fail(unexpected());
        if (m_token.kind == Token::Kind::End || m_token.kind == Token::Kind::Punct ||
            (m_token.kind == Token::Kind::Name && m_token.text != u"true"_s && m_token.text != u"false"_s))
            return fail(unexpected());
        const QVariant value = literalFor(*c);
        if (!value.isValid())
            return fail(
                u"A binary operator with incompatible types was detected. Found operand types '%1' and '%2' "
                u"for operator '%3' (in $filter at position %4)."_s.arg(edmType(c->type), literalType(m_token.kind), op)
                    .arg(m_token.position));
        advance();
        out.sql = c->name + u' ' + operators.value(op) + u" ?"_s;
        out.binds << value;
        return true;
    }

    // name='value' inside a Microsoft.Dynamics.CRM function's parentheses.
    bool namedArgument(QStringView expected, Token &value)
    {
        if (!isWord(expected))
            return fail(u"Syntax error in $filter at position %1: expected %2=."_s.arg(m_token.position).arg(expected));
        advance();
        if (!expectPunct(u"="))
            return false;
        value = m_token;
        advance();
        return true;
    }

    bool parseFunction(const QString &name, qsizetype position, SqlCondition &out)
    {
        advance(); // (
        if (name == u"contains"_s || name == u"startswith"_s || name == u"endswith"_s) {
            if (m_token.kind != Token::Kind::Name)
                return fail(unexpected());
            const ColumnDef *c = column(m_token.text, m_token.position);
            if (!c)
                return false;
            if (c->type != ColumnDef::Type::Text)
                return fail(u"%1 needs a text property, but '%2' is %3."_s.arg(name, c->jsonName(), edmType(c->type)));
            advance();
            if (!expectPunct(u","))
                return false;
            if (m_token.kind != Token::Kind::String)
                return fail(m_unterminated ? unexpected() : u"%1 needs a string as its second argument."_s.arg(name));
            QString pattern = m_token.text;
            pattern.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
            if (name == u"contains"_s)
                pattern = u'%' + pattern + u'%';
            else if (name == u"startswith"_s)
                pattern += u'%';
            else
                pattern = u'%' + pattern;
            advance();
            if (!expectPunct(u")"))
                return false;
            out.sql = c->name + u" LIKE ? ESCAPE '\\'"_s;
            out.binds << pattern;
            return true;
        }
        if (name == u"Microsoft.Dynamics.CRM.ContainValues"_s) {
            Token property;
            if (!namedArgument(u"PropertyName", property) || !expectPunct(u","))
                return false;
            if (property.kind != Token::Kind::String)
                return fail(u"ContainValues needs PropertyName='<column>'."_s);
            const ColumnDef *c = column(property.text, property.position);
            if (!c)
                return false;
            if (!isWord(u"PropertyValues"))
                return fail(
                    u"Syntax error in $filter at position %1: expected PropertyValues=."_s.arg(m_token.position));
            advance();
            if (!expectPunct(u"=") || !expectPunct(u"["))
                return false;
            for (;;) {
                if (m_token.kind != Token::Kind::String)
                    return fail(m_unterminated
                                    ? unexpected()
                                    : u"ContainValues needs PropertyValues=['value', …] with quoted values."_s);
                // Multi-select values are stored as "a,b,c"; match whole items only. Most rows hold one value:
                // equality answers those from an index, and only rows holding several values are searched.
                const QString value = m_token.text.trimmed();
                out.alternatives << SqlCondition {u"%1 = ?"_s.arg(c->name), {value}, {}}
                                 << SqlCondition {
                                        u"(%1 GLOB '*,*' AND instr(',' || REPLACE(%1, ' ', '') || ',', ?) > 0)"_s.arg(
                                            c->name),
                                        {QString(u',' + value + u',')},
                                        {}};
                advance();
                if (isPunct(u"]"))
                    break;
                if (!expectPunct(u","))
                    return false;
            }
            advance();
            if (!expectPunct(u")"))
                return false;
            QStringList parts;
            for (const SqlCondition &alternative : std::as_const(out.alternatives)) {
                parts << alternative.sql;
                out.binds += alternative.binds;
            }
            out.sql = u"("_s + parts.join(u" OR "_s) + u')';
            return true;
        }
        if (name == u"Microsoft.Dynamics.CRM.OlderThanXMinutes"_s) {
            Token property;
            Token minutes;
            if (!namedArgument(u"PropertyName", property) || !expectPunct(u",") ||
                !namedArgument(u"PropertyValue", minutes) || !expectPunct(u")"))
                return false;
            if (property.kind != Token::Kind::String)
                return fail(u"OlderThanXMinutes needs PropertyName='<column>'."_s);
            const ColumnDef *c = column(property.text, property.position);
            if (!c)
                return false;
            if (c->type != ColumnDef::Type::DateTime)
                return fail(u"OlderThanXMinutes needs a date and time property, but '%1' is %2."_s.arg(
                    c->jsonName(), edmType(c->type)));
            bool ok = false;
            const qint64 n = minutes.text.toLongLong(&ok);
            if ((minutes.kind != Token::Kind::Number && minutes.kind != Token::Kind::String) || !ok || n < 0)
                return fail(u"OlderThanXMinutes needs PropertyValue=<whole number of minutes>."_s);
            out.sql = c->name + u" < ?"_s;
            out.binds << ODataFilter::storedDateTime(m_now.addSecs(-n * 60));
            return true;
        }
        return fail(
            u"The function '%1' in $filter at position %2 is not supported by autoclose-sandbox."_s.arg(name).arg(
                position));
    }

    const QString &m_text;
    const EntitySetDef &m_set;
    QDateTime m_now;
    qsizetype m_pos = 0;
    Token m_token;
    bool m_unterminated = false;
    int m_depth = 0;
    QString m_error;
};

} // namespace

QString ODataFilter::storedDateTime(const QDateTime &value)
{
    return value.toUTC().toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
}

Result<SqlCondition> ODataFilter::toSql(const QString &filter, const EntitySetDef &set, const QDateTime &now)
{
    if (filter.trimmed().isEmpty())
        return Error::badInput(u"The $filter is empty."_s);
    return Parser(filter, set, now).parse();
}
