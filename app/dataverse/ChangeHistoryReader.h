#pragma once

#include "models/ChangeHistory.h"
#include "models/Result.h"
#include "models/TimerSetting.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

class DataverseClient;
class QObject;

// Reads Dataverse's change history of one value (docs/change-history.md): first whether there is one to read —
// auditing on for the organization, the table and the column, and both audit privileges held — then its pages, newest
// first. The Web API's change-history functions do not say who made a change or when, so a page is read from the
// audit table (who, when), a record's events newest first, with each event's values from RetrieveAuditDetails, kept
// when it changed the value's column; RetrieveAttributeChangeHistory counts them. A reply of the wrong shape is an
// Error (BadReply) with a sentence, and nothing of the page is returned. The record's value now is read first, to
// order changes of one second. Talks through DataverseClient's transport;
// callbacks are tied to the context object given, as the client's are.
class ChangeHistoryReader final
{
public:
    explicit ChangeHistoryReader(DataverseClient *client);

    // The audit state of the value's table and column: four reads side by side (the organization, the table's and
    // the column's definitions, the user's privileges). Any of them failing fails the check.
    void check(const ValueRef &ref, QObject *context,
               std::function<void(Result<ChangeHistory::AuditState>)> done) const;

    // Page pageNumber (from 1) of pageSize changes (1 to 500). A 403 from the service is an Error (Auth) whose
    // sentence names the missing privilege.
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

    // The requests, relative to the Web API root (pure, for tests). A BadInput Error for an id that is not a GUID
    // (it goes into the URL).
    static QString organizationPath();
    static QString tablePath(TimerSetting setting);
    static QString columnPath(TimerSetting setting);
    // RetrieveAttributeChangeHistory with its parameter aliases percent-encoded.
    static Result<QString> pagePath(const ValueRef &ref, int pageNumber, int pageSize);
    // The record's create and update events in the audit table, newest first.
    static Result<QString> auditRowsPath(const ValueRef &ref);
    static Result<QString> auditDetailsPath(const QString &auditId);
    // The value the record holds now: <entity set>(<id>)?$select=<column>.
    static Result<QString> currentValuePath(const ValueRef &ref);

    // The replies (pure, for tests).
    static Result<bool> parseOrganization(const QByteArray &body);
    struct AuditFlag
    {
        bool enabled = false;
        bool canBeChanged = true;
    };
    // what: "table msdyn_liveworkstream definition", for the sentence.
    static Result<AuditFlag> parseAuditFlag(const QByteArray &body, const QString &what);
    // RetrieveAttributeChangeHistory's AuditDetailCollection: its count and changes (with who and when only where a
    // detail carries its AuditRecord, which the Web API leaves out).
    static Result<ChangeHistory::Page> parsePage(const QByteArray &body, const QString &column, int pageNumber,
                                                 int pageSize);
    // A page of the audit table: each event's id, time, user and operation.
    struct AuditRow
    {
        QString auditId;
        QDateTime when; // UTC
        QString userId;
        QString userName;
        ChangeHistory::Operation operation = ChangeHistory::Operation::Unknown;
    };
    struct AuditRows
    {
        QList<AuditRow> rows;
        QUrl nextLink;
    };
    static Result<AuditRows> parseAuditRows(const QByteArray &body);
    // RetrieveAuditDetails' answer: the column's old and new minutes when the event changed it; empty when it did not
    // (it changed other columns only, or it is not a change of values).
    struct Values
    {
        std::optional<int> oldMinutes;
        std::optional<int> newMinutes;
    };
    static Result<std::optional<Values>> parseAuditDetails(const QByteArray &body, const QString &column,
                                                           const QString &auditId);
    // The record's reply to currentValuePath: the column's minutes, empty when it is empty.
    static Result<std::optional<int>> parseCurrentValue(const QByteArray &body, const QString &column);
    // A refusal of the history (403): the missing privilege, named from the service's message when it names one.
    static bool isPrivilegeRefusal(const Error &error);
    static QString privilegeNamed(const Error &error);
    // The error for the environment's reply for what ("audit table") that is not what the Web API documents.
    static Error badReply(const QString &what, const QString &detail);

private:
    DataverseClient *m_client;
};
