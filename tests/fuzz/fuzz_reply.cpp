// libFuzzer: the Web API reply parsers on any bytes — the strict JSON scanner, the fast conversation page reader
// (which must agree with the document path on what it accepts), the next-link peek, and the other replies.
#include "app/dataverse/JsonScanner.h"
#include "app/dataverse/WebApiReply.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));

    JsonScanner json(body);
    const bool scanned = json.skipValue() && json.finish();
    // Whatever the scanner accepts as an object or a list, Qt's parser accepts too (the scanner is the stricter).
    if (scanned && (json.offset() > 0) && !body.trimmed().isEmpty() &&
        (body.trimmed().front() == '{' || body.trimmed().front() == '[')) {
        QJsonParseError error;
        QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError && error.error != QJsonParseError::DeepNesting)
            std::abort();
    }

    WebApiReply::StringPool pool;
    const auto fast = WebApiReply::parseConversationPage(body, &pool);
    if (fast.ok()) {
        // A page the fast reader takes is one the document path takes, with the same conversations.
        const auto page = WebApiReply::parseCollection(body);
        if (!page.ok() || page.value().rows.size() != fast.value().rows.size())
            std::abort();
        for (qsizetype i = 0; i < page.value().rows.size(); ++i) {
            const auto one = WebApiReply::parseConversation(page.value().rows.at(i));
            if (!one.ok() || !(one.value() == fast.value().rows.at(i)))
                std::abort();
        }
    }
    (void)WebApiReply::peekNextLink(body);
    (void)WebApiReply::parseWhoAmI(body);
    (void)WebApiReply::parseCount(body);
    (void)WebApiReply::parseColumnRange(body);
    const auto collection = WebApiReply::parseCollection(body);
    if (collection.ok())
        for (const QJsonObject &row : collection.value().rows) {
            (void)WebApiReply::parseStateConfiguration(row);
            (void)WebApiReply::parseWorkstream(row);
        }
    return 0;
}
