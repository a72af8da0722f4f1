// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/StudentTeacher.h"

#include "jobs/RunModels.h"
#include "students/StudentForms.h"
#include "students/StudentBackbone.h"
#include "students/StudentRegistry.h"
#include "teachers/FormTrial.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"

#include <c10/core/InferenceMode.h>
#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <tuple>

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
    const StudentOptions options{m.config.width, m.config.mChannels};
    auto rebuild = [arch = m.config.arch, options] { return StudentRegistry::instance().create(arch, options); };
    return std::make_shared<StudentTeacher>(m.student, m.config.clipSeconds, identity, description, rebuild);
}

StudentTeacher::StudentTeacher(std::shared_ptr<StudentBackbone> student, double windowSeconds,
                               std::string identity, std::string description, Rebuild rebuild)
    : m_student(std::move(student)), m_rebuild(std::move(rebuild)), m_window(windowSeconds),
      m_identity(std::move(identity)), m_description(std::move(description))
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
        at::Tensor mel = m_frontEnd.forward(x.to(torch::Device(m_device)));
        if (m_channelsLast)
            mel = mel.contiguous(at::MemoryFormat::ChannelsLast);
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

std::string StudentTeacher::optimizeForInference()
{
    if (m_device != "cpu" || !m_rebuild)
        return {};
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(2);
    const auto samples = std::int64_t(std::llround(m_window * sampleRate()));
    const at::Tensor mel = m_frontEnd.forward(at::randn({kFormTrialBatch, samples}, gen, at::kFloat) * 0.1);
    auto trialOf = [&](std::string name, std::shared_ptr<StudentBackbone> s, bool channelsLast) {
        return FormTrial{std::move(name),
                         [s, channelsLast](const at::Tensor& m) {
                             return s->forward(channelsLast ? m.contiguous(at::MemoryFormat::ChannelsLast) : m);
                         },
                         {}, 0};
    };
    std::vector<FormTrial> trials{trialOf("as trained", m_student, false)};
    std::vector<std::pair<std::shared_ptr<StudentBackbone>, bool>> forms{{m_student, false}};
    try {
        measureForm(trials.back(), mel);
    } catch (const std::exception& e) {
        return "student kept as trained (a trial batch failed: " + errorText(e) + ")";
    }
    std::string notPossible;
    for (const bool channelsLast : {false, true}) {
        try {
            auto copy = m_rebuild();
            copyStudentState(*m_student, *copy);
            copy->eval();
            const int folded = foldBatchNorms(*copy);
            if (channelsLast)
                toChannelsLast(*copy);
            FormTrial t = trialOf(std::to_string(folded) + " batch norms folded" +
                                      (channelsLast ? ", channels-last" : ""),
                                  copy, channelsLast);
            measureForm(t, mel);
            trials.push_back(std::move(t));
            forms.emplace_back(copy, channelsLast);
        } catch (const std::exception& e) {
            notPossible = "; a form was not possible (" + errorText(e) + ")";
        }
    }
    std::string times;
    const std::size_t best = chooseForm(trials, times);
    std::tie(m_student, m_channelsLast) = forms[best];
    return "student " + trials[best].name + " (per batch of " + std::to_string(kFormTrialBatch) +
           " windows: " + times + ")" + notPossible;
}

} // namespace ssondo
