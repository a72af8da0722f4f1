// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/Page.h"

#include <QSettings>
#include <QSplitter>

namespace ssondo::ui {

Page::Page(WorkspaceController* controller, QWidget* parent) : QWidget(parent), m_controller(controller) {}

void Page::rememberSplitter(QSplitter* splitter, const QString& key)
{
    const QString k = QStringLiteral("pages/%1/%2").arg(pageId(), key);
    const QByteArray state = QSettings().value(k).toByteArray();
    if (!state.isEmpty())
        splitter->restoreState(state);
    connect(splitter, &QSplitter::splitterMoved, this,
            [splitter, k] { QSettings().setValue(k, splitter->saveState()); });
}

} // namespace ssondo::ui
