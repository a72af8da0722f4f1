#pragma once

#include "pages/Page.h"

class QLabel;

namespace ssondo::ui {

/// A page whose tools are not built yet: it says what the page is for and which `ssondo`
/// commands do that work today, instead of pretending.
class PlaceholderPage : public Page
{
    Q_OBJECT

public:
    PlaceholderPage(const QString& id, const QString& title, const QString& purpose,
                    WorkspaceController* controller, QWidget* parent = nullptr);

    QString title() const override { return m_title; }
    QString pageId() const override { return m_id; }
    void refresh() override {}

private:
    QString m_id, m_title;
};

} // namespace ssondo::ui
