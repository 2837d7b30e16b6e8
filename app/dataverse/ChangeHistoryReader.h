#pragma once

#include "models/ChangeHistory.h"
#include "models/Result.h"
#include "models/TimerSetting.h"

#include <QByteArray>
#include <QString>

#include <functional>

class DataverseClient;
class QObject;

// Reads Dataverse's change history of one value (docs/change-history.md): first whether there is one to read —
// auditing on for the organization, the table and the column, and prvReadRecordAuditHistory held — then its pages,
// newest first, from RetrieveAttributeChangeHistory. A reply of the wrong shape is an Error (BadReply) with a
// sentence, and nothing of it is returned. Talks through DataverseClient's transport; callbacks are tied to the
// context object given, as the client's are.
class ChangeHistoryReader final
{
public:
    explicit ChangeHistoryReader(DataverseClient *client);

    // The audit state of the value's table and column: four reads side by side (the organization, the table's and
    // the column's definitions, the user's privileges). Any of them failing fails the check.
    void check(const ValueRef &ref, QObject *context,
               std::function<void(Result<ChangeHistory::AuditState>)> done) const;

    // Page pageNumber (from 1) of pageSize entries (1 to 500). A 403 from the service is the missing privilege's
    // sentence.
    static constexpr int MaxPageSize = 500;
    void fetchPage(const ValueRef &ref, int pageNumber, int pageSize, QObject *context,
                   std::function<void(Result<ChangeHistory::Page>)> done) const;

    // check, then the page when there is history to read: what the CLI and the window show. page is empty (and not
    // asked for) when the state says there is no history; a 403 to the page is reported in the state, as a missing
    // privilege.
    struct Reading
    {
        ChangeHistory::AuditState state;
        ChangeHistory::Page page;
    };
    void read(const ValueRef &ref, int pageNumber, int pageSize, QObject *context,
              std::function<void(Result<Reading>)> done) const;

    // The requests, relative to the Web API root (pure, for tests).
    static QString organizationPath();
    static QString tablePath(TimerSetting setting);
    static QString columnPath(TimerSetting setting);
    // RetrieveAttributeChangeHistory with its parameter aliases percent-encoded; a BadInput Error for an id that is
    // not a GUID (it goes into the URL).
    static Result<QString> pagePath(const ValueRef &ref, int pageNumber, int pageSize);

    // The replies (pure, for tests).
    static Result<bool> parseOrganization(const QByteArray &body);
    struct AuditFlag
    {
        bool enabled = false;
        bool canBeChanged = true;
    };
    // what: "the table msdyn_liveworkstream", for the sentence.
    static Result<AuditFlag> parseAuditFlag(const QByteArray &body, const QString &what);
    static Result<ChangeHistory::Page> parsePage(const QByteArray &body, const QString &column, int pageNumber,
                                                 int pageSize);
    // A refusal of the history itself (403): the missing privilege, named from the service's message when it names
    // one.
    static bool isPrivilegeRefusal(const Error &error);
    static QString privilegeNamed(const Error &error);

private:
    DataverseClient *m_client;
};
