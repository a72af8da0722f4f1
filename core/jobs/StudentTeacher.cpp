// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/StudentTeacher.h"

#include "jobs/RunModels.h"
#include "students/StudentBackbone.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include <fstream>

namespace ssondo {

namespace {

std::string fileHash(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError("cannot read " + path);
    Fnv1a64 h;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        h.add(buf.data(), std::size_t(in.gcount()));
    }
    return h.hex();
}

} // namespace

std::shared_ptr<StudentTeacher> StudentTeacher::fromRun(Workspace& ws, std::int64_t runId)
{
    RunModels m = loadRunModels(ws, runId);
    const std::string identity =
        "student-" + m.config.arch + "-run" + std::to_string(runId) + "-" + fileHash(m.checkpointPath);
    const std::string description = m.config.arch + " student of run " + std::to_string(runId) + " '" +
                                    m.run.name + "' (mapping head dropped)";
    return std::make_shared<StudentTeacher>(m.student, m.config.clipSeconds, identity, description);
}

StudentTeacher::StudentTeacher(std::shared_ptr<StudentBackbone> student, double windowSeconds,
                               std::string identity, std::string description)
    : m_student(std::move(student)), m_window(windowSeconds), m_identity(std::move(identity)),
      m_description(std::move(description))
{
    m_student->eval();
}

std::int64_t StudentTeacher::embeddingDim() const
{
    return m_student->embeddingDim();
}

std::int64_t StudentTeacher::parameterCount() const
{
    return ssondo::parameterCount(*m_student);
}

at::Tensor StudentTeacher::embed(const at::Tensor& wav)
{
    c10::InferenceMode inference; // no autograd records or version counts: embeddings are only stored
    const at::Tensor x = wav.dim() == 1 ? wav.unsqueeze(0) : wav;
    try {
        const at::Tensor mel = m_frontEnd.forward(x.to(torch::Device(m_device)));
        return m_student->forward(mel).to(at::kFloat).cpu().contiguous();
    } catch (const std::exception& e) {
        // A student forward fails on inputs too short for its strides, for example.
        throw TeacherFailure("the student of " + m_description + " failed on input of " +
                             std::to_string(x.size(-1)) + " samples: " + errorText(e));
    }
}

void StudentTeacher::to(const std::string& device)
{
    m_device = device;
    m_student->to(torch::Device(device));
}

} // namespace ssondo
