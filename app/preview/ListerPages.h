#pragma once

#include "app/preview/ClosurePreview.h"
#include "models/PreviewListModel.h"

#include <memory>

namespace ClosurePreview {

// The closure preview's list as PreviewListModel reads it: the Lister's pages of pageSize conversations, each named
// by its Lister cursor (which the model keeps, as a QVariant, to read the page again).
class ListerPages final : public PreviewListModel::PageSource
{
public:
    ListerPages(std::shared_ptr<const Lister> lister, int pageSize)
        : m_lister(std::move(lister))
        , m_pageSize(pageSize)
    { }

    QVariant first() const override { return toVariant(*m_lister, m_lister->begin()); }

    void fetch(const QVariant &cursor, QObject *context, std::function<void(Result<Page>)> done) override
    {
        // The lister goes with the read: a read in flight never outlives what it reads with.
        m_lister->fetch(cursor.value<Lister::Cursor>(), m_pageSize, context,
                        [lister = m_lister, done = std::move(done)](Result<Lister::Page> page) {
                            if (!page) {
                                done(page.error());
                                return;
                            }
                            done(Page {std::move(page.value().rows), toVariant(*lister, page.value().next)});
                        });
    }

private:
    static QVariant toVariant(const Lister &lister, const Lister::Cursor &cursor)
    {
        return lister.isEnd(cursor) ? QVariant() : QVariant::fromValue(cursor);
    }

    std::shared_ptr<const Lister> m_lister;
    int m_pageSize;
};

} // namespace ClosurePreview
