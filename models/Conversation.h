#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// One msdyn_ocliveworkitem (a conversation): what the closing rule needs to know about it.
struct Conversation
{
    QString id; // activityid
    QString title;
    QString subject;
    int statusCode = 0; // 1 Open, 2 Active, 3 Waiting, 4 Closed, 5 Wrap-up, 6 Resolved, 7 Scheduled
    QList<int> channels; // msdyn_channel, a multi-select of msdyn_streamsource codes
    QDateTime createdOn;
    QDateTime wrapUpInitiatedOn; // invalid when unknown
    QDateTime modifiedOn; // msdyn_modifiedon, else modifiedon
    QString workstreamId;

    friend bool operator==(const Conversation &, const Conversation &) = default;
};
