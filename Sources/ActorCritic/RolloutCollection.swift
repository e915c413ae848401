import Envs
import Training

/// The collect phase shared by A2C and PPO: `rollout.steps` steps of every copy with the
/// model's sampled actions, recording observations, raw actions, rewards and end flags, the
/// final observations of truncated rows (gathered for one batched value call), and the
/// episodes that ended.
func collectRollout(_ rollout: inout Rollout, experience: inout LearnerEnvironment, model: inout PolicyValueModel,
                    raw: inout [Float], actions: inout [Float], finalObservations: inout [Float], finalIndices: inout [Int],
                    report: inout LearnerReport) throws {
    let n = experience.count, o = rollout.observationSize, a = rollout.actionSize
    let hasMetric = experience.environment.episodeMetricName != nil
    finalObservations.removeAll(keepingCapacity: true)
    finalIndices.removeAll(keepingCapacity: true)
    for t in 0..<rollout.steps {
        let base = t * n
        experience.batch.observations.withUnsafeBufferPointer { src in
            rollout.observations.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(n * o) { dst[base * o + i] = src[i] }
            }
        }
        try rollout.observations.withUnsafeBufferPointer { obs in
            try model.act(UnsafeBufferPointer(rebasing: obs[(base * o)..<((base + n) * o)]), rows: n, greedy: false,
                          generator: &experience.generator, raw: &raw, actions: &actions)
        }
        for i in 0..<(n * a) { rollout.rawActions[base * a + i] = raw[i] }
        try experience.step(actions)
        let batch = experience.batch
        for r in 0..<n {
            let k = base + r
            rollout.rewards[k] = batch.rewards[r]
            rollout.terminated[k] = batch.terminated[r]
            rollout.truncated[k] = batch.truncated[r]
            rollout.finalValues[k] = 0
            if batch.truncated[r] && !batch.terminated[r] {
                finalObservations += batch.finalObservation(r)
                finalIndices.append(k)
            }
            if batch.terminated[r] || batch.truncated[r] {
                report.episodes.append((experience.tasks.taskOfRow[r], Double(batch.episodes.returns[r]), Int(batch.episodes.lengths[r])))
                if hasMetric { report.episodeMetrics.append(Double(batch.episodes.metrics[r])) }
            }
        }
    }
    report.environmentSteps = n * rollout.steps
}

/// Writes V(final observation) of every truncated step into `rollout.finalValues` with one
/// value call (a truncated episode bootstraps from it, a terminated one from 0).
func finishRollout(_ rollout: inout Rollout, model: inout PolicyValueModel, finalObservations: [Float], finalIndices: [Int],
                   finalValues: inout [Float]) throws {
    guard !finalIndices.isEmpty else { return }
    try model.reserve(rows: finalIndices.count)
    try finalObservations.withUnsafeBufferPointer { try model.values($0, rows: finalIndices.count, into: &finalValues) }
    for (j, k) in finalIndices.enumerated() { rollout.finalValues[k] = finalValues[j] }
}
