#include "pages/Page.h"

namespace ssondo::ui {

Page::Page(WorkspaceController* controller, QWidget* parent) : QWidget(parent), m_controller(controller) {}

} // namespace ssondo::ui
