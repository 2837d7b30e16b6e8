#include "KeychainCalls.h"

#include <QTest>

namespace {
constexpr int AnswerMs = 10000;

template<typename T>
std::optional<Result<T>> waitFor(std::optional<Result<T>> &slot)
{
    (void)QTest::qWaitFor([&slot] { return slot.has_value(); }, AnswerMs);
    return slot;
}
} // namespace

std::optional<QString> KeychainCalls::read(SecretStore &store, const QString &key)
{
    std::optional<Result<std::optional<QString>>> read;
    QObject context;
    store.read(key, &context, [&read](Result<std::optional<QString>> r) { read.emplace(std::move(r)); });
    const auto answer = waitFor(read);
    if (!answer || !*answer) {
        const QByteArray why = answer ? answer->error().describe().toUtf8() : QByteArray("no answer within 10 s");
        QTest::qVerify(false, "KeychainCalls::read", why.constData(), __FILE__, __LINE__);
        return std::nullopt;
    }
    return answer->value();
}

bool KeychainCalls::write(SecretStore &store, const QString &key, const QString &value)
{
    std::optional<Result<Done>> written;
    QObject context;
    store.write(key, value, &context, [&written](Result<Done> r) { written.emplace(std::move(r)); });
    const auto answer = waitFor(written);
    return answer && *answer;
}

bool KeychainCalls::remove(SecretStore &store, const QString &key)
{
    std::optional<Result<Done>> removed;
    QObject context;
    store.remove(key, &context, [&removed](Result<Done> r) { removed.emplace(std::move(r)); });
    const auto answer = waitFor(removed);
    return answer && *answer;
}
