#include "pages/PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace ssondo::ui {

PlaceholderPage::PlaceholderPage(const QString& id, const QString& title, const QString& purpose,
                                 WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_id(id), m_title(title)
{
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(title.toHtmlEscaped()), this);
    auto* text = new QLabel(purpose, this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    auto* status =
        new QLabel(tr("<i>This page is not built yet in this version of the workbench.</i>"), this);
    status->setObjectName(QStringLiteral("placeholderStatus"));
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addSpacing(12);
    layout->addWidget(status);
    layout->addStretch(1);
    layout->setContentsMargins(24, 16, 24, 16);
}

} // namespace ssondo::ui
