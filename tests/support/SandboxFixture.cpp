#include "SandboxFixture.h"

#include <QFile>
#include <QTest>

namespace {
// The fixtures alive in this process, oldest first: AUTOCLOSE_DATA_DIR names the newest one's dataDir().
QList<const SandboxFixture *> g_live;
} // namespace

std::unique_ptr<SandboxFixture> SandboxFixture::start(LocalSandbox::Options options, const QString &token,
                                                      Retries retries)
{
    std::unique_ptr<SandboxFixture> fixture(new SandboxFixture);
    fixture->token = token.isEmpty() ? LocalSandbox::generateToken() : token;
    g_live.append(fixture.get());
    qputenv("AUTOCLOSE_DATA_DIR", QFile::encodeName(fixture->dataDir()));
    if (options.dataDir.isEmpty())
        options.dataDir = fixture->dir.path() + QStringLiteral("/sandbox");
    options.acceptedTokens = {fixture->token};
    auto started = LocalSandbox::start(options);
    if (!started) {
        qWarning("the sandbox did not start: %s", qPrintable(started.error().describe()));
        return nullptr;
    }
    fixture->sandbox = std::move(started).value();
    fixture->client = std::make_unique<DataverseClient>(fixture->sandbox->url(), &fixture->network);
    fixture->client->setAccessToken(fixture->token);
    if (retries == Retries::Fast)
        fixture->client->transport()->setRetryPolicy(FastRetries);
    fixture->colleague = std::make_unique<DataverseClient>(fixture->sandbox->url(), &fixture->network);
    fixture->colleague->setAccessToken(fixture->token);
    return fixture;
}

SandboxFixture::~SandboxFixture()
{
    g_live.removeOne(this);
    if (!g_live.isEmpty())
        qputenv("AUTOCLOSE_DATA_DIR", QFile::encodeName(g_live.last()->dataDir()));
}

std::optional<ChannelStateConfig> SandboxFixture::read(const QString &channel, const QString &state)
{
    std::optional<Result<QList<ChannelStateConfig>>> result;
    colleague->fetchConfigurations(colleague.get(), [&result](auto r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000) || !result->ok())
        return std::nullopt;
    for (const ChannelStateConfig &c : result->value()) {
        if (c.channelLabel() == channel && conversationStateLabel(c.state) == state)
            return c;
    }
    return std::nullopt;
}

QList<Workstream> SandboxFixture::readWorkstreams()
{
    std::optional<Result<QList<Workstream>>> result;
    colleague->fetchWorkstreams(colleague.get(), [&result](auto r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 20000) || !result->ok())
        return {};
    return result->value();
}

std::optional<Workstream> SandboxFixture::readWorkstream(const QString &name)
{
    for (const Workstream &w : readWorkstreams()) {
        if (w.name == name)
            return w;
    }
    return std::nullopt;
}

bool SandboxFixture::colleagueSavesWorkstream(const QString &name, TimerSetting setting, std::optional<int> minutes)
{
    const auto current = readWorkstream(name);
    if (!current)
        return false;
    std::optional<QList<WriteResult>> results;
    colleague->saveMinutes({MinutesChange {current->id, current->name, current->etag, minutes, setting}},
                           DataverseClient::WriteMode::OneByOne, colleague.get(),
                           [&results](QList<WriteResult> r) { results = std::move(r); });
    return QTest::qWaitFor([&results] { return results.has_value(); }, 20000) && results->size() == 1 &&
        results->first().outcome == WriteResult::Outcome::Saved;
}

bool SandboxFixture::colleagueSaves(const QString &channel, const QString &state, int minutes)
{
    const auto current = read(channel, state);
    if (!current)
        return false;
    std::optional<QList<WriteResult>> results;
    colleague->saveMinutes({MinutesChange {current->id, current->name, current->etag, minutes}},
                           DataverseClient::WriteMode::OneByOne, colleague.get(),
                           [&results](QList<WriteResult> r) { results = std::move(r); });
    return QTest::qWaitFor([&results] { return results.has_value(); }, 20000) && results->size() == 1 &&
        results->first().outcome == WriteResult::Outcome::Saved;
}
