// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "students/MappingHead.h"
#include "students/StudentBackbone.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ssondo {

/// Writes a trained student for use elsewhere, in `dir`:
///  backbone.pt            PyTorch state dict (torch.load) with the reference key names and shapes
///  mapping_head.pt        the mapping head, keys mlp.0.* / mlp.3.*
///  ssondo_wrapper.pt      both as the reference's ModelWrapper: model.* and classification_head.mlp.*
///  model.json             architecture, options, embedding size, front end, provenance (`info`)
///  backbone_libtorch.pt   a LibTorch archive of the backbone, for loadExportedStudent()
/// `info` is merged into model.json; `segmentSeconds` is the window the student was trained and is
/// evaluated on (the run's data.clip_seconds), which model.json states with the input shape it
/// gives. Returns the paths written. TorchScript export is not possible
/// from LibTorch's C++ frontend (modules are not scriptable); Python users load backbone.pt.
std::vector<std::string> exportStudent(const std::string& dir, StudentBackbone& student,
                                       MappingHeadImpl& head, const nlohmann::json& info,
                                       double segmentSeconds);

/// Rebuilds an exported backbone (from model.json and backbone_libtorch.pt), in eval mode.
std::shared_ptr<StudentBackbone> loadExportedStudent(const std::string& dir);

} // namespace ssondo
