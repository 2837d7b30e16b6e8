#pragma once

#include "app/cli/Command.h"

#include <QCommandLineOption>
#include <QCoreApplication>

namespace Cli {

// history: who changed one value in the environment, when, and from what to what — Dataverse's own audit history
// (docs/change-history.md), newest first, a page at a time. When there is none to read (auditing off for the
// organization, the table or the column, or the privilege to read it missing) it says which and who can change it,
// on stderr, with exit code 6 (auditing off) or 3 (no privilege), never an empty list.
class HistoryCommand final : public Command
{
    Q_DECLARE_TR_FUNCTIONS(HistoryCommand)

public:
    explicit HistoryCommand(const GlobalOptions &global);
    QString syntax() const override;
    QString description() const override;
    QList<OptionGroup> options() const override;
    int run(const Invocation &call, QTextStream &out, QTextStream &err) const override;

    static constexpr int DefaultPageSize = 50;

private:
    const GlobalOptions &m_global;
    QCommandLineOption m_setting {QStringLiteral("setting"), QString(), QStringLiteral("SETTING")};
    QCommandLineOption m_page {QStringLiteral("page"), QString(), QStringLiteral("N")};
    QCommandLineOption m_pageSize {QStringLiteral("page-size"), QString(), QStringLiteral("N")};
};

} // namespace Cli
