#pragma once

#include <QDateTime>
#include <QDialog>

#include <optional>

// A save was refused because someone changed the record after the user's edit began (HTTP 412): their value beside
// the user's, and the three ways on. Nothing is overwritten unless the user says so here.
class ConflictDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictDialog)
public:
    enum class Choice { Later, KeepTheirs, Overwrite, Edit };
    struct Values
    {
        QString record; // "Live chat · Open"
        std::optional<int> theirs;
        QDateTime theirsModifiedOn;
        std::optional<int> yours;
        std::optional<int> base; // the value the user's edit started from
    };
    explicit ConflictDialog(const Values &values, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }

private:
    Choice m_choice = Choice::Later;
};
