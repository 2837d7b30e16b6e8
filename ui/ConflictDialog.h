#pragma once

#include "app/session/EditSession.h"

#include <QDialog>

// A save was refused because someone changed the record after the user's edit began (HTTP 412): their value beside
// the user's, and the three ways on. Nothing is overwritten unless the user says so here.
class ConflictDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictDialog)
public:
    using Decision = EditSession::Decision;
    explicit ConflictDialog(const EditSession::Conflict &conflict, QWidget *parent = nullptr);
    // Shows the dialog for one conflict and returns the user's decision (Later when it is closed).
    static Decision ask(const EditSession::Conflict &conflict, QWidget *parent);

    Decision choice() const { return m_choice; }

private:
    Decision m_choice = Decision::Later;
};
