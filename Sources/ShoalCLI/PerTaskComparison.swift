import Envs
import Foundation
import Training

/// Task by task, which arm trains best: paper 000's claim that the specialised agents, given
/// the centralised agent's resources, are best on their own tasks (§VI-C) is a claim per task,
/// and a mean over tasks hides it when a lone agent never finds the goal of a few tasks (an
/// acrobot that never swings up scores −500 and drags its arm's mean below the others').
///
/// For every (seed, task) pair that every arm trained on, the arm with the highest recent
/// training return (`task_return` of the run summary) wins the pair (a tie goes to no arm);
/// beside the wins, each arm's median per-task return over the pairs. Arms of one seed share
/// their task draw (the draw depends on the run seed only), so pair k compares the same task.
struct PerTaskComparison {
    struct Row: Equatable {
        var arm: String
        var wins: Int
        var median: Double
    }
    var rows: [Row]
    /// The (seed, task) pairs compared.
    var pairs: Int

    /// `runs`: each arm's per-task returns per seed (seed → returns, one per task).
    /// Nil when fewer than two arms have per-task returns of the same length for a common seed.
    init?(_ runs: [(arm: String, seed: UInt64, taskReturns: [Double])]) {
        var arms: [String] = []
        for r in runs where !arms.contains(r.arm) { arms.append(r.arm) }
        guard arms.count >= 2 else { return nil }
        var wins = [Int](repeating: 0, count: arms.count)
        var values = [[Double]](repeating: [], count: arms.count)
        var pairs = 0
        let seeds = Set(runs.map(\.seed)).sorted()
        for seed in seeds {
            let bySeed = arms.map { a in runs.first { $0.arm == a && $0.seed == seed }?.taskReturns }
            guard let first = bySeed[0], first.count > 1, bySeed.allSatisfy({ $0?.count == first.count }) else { continue }
            for task in first.indices {
                let v = bySeed.map { $0![task] }
                guard v.allSatisfy(\.isFinite) else { continue }
                pairs += 1
                for (a, x) in v.enumerated() { values[a].append(x) }
                let best = v.max()!
                let leaders = v.indices.filter { v[$0] == best }
                if leaders.count == 1 { wins[leaders[0]] += 1 }
            }
        }
        guard pairs > 0 else { return nil }
        self.pairs = pairs
        rows = arms.indices.map { Row(arm: arms[$0], wins: wins[$0], median: quantile(values[$0].sorted(), 0.5)) }
    }

    var text: String {
        var lines = ["Per task (\(pairs) (seed, task) pairs): the arm with the best training return on each task, and each arm's median per-task return."]
        let width = max(4, rows.map(\.arm.count).max() ?? 0) + 2
        lines.append("ARM".padding(toLength: width, withPad: " ", startingAt: 0) + "BEST ON      MEDIAN PER-TASK RETURN")
        for r in rows {
            let best = "\(r.wins) of \(pairs)".padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append(r.arm.padding(toLength: width, withPad: " ", startingAt: 0) + best + String(format: "%.1f", r.median))
        }
        return lines.joined(separator: "\n")
    }

    var json: JSONValue {
        .object([("pairs", .integer(pairs)),
                 ("rows", .array(rows.map { .object([("arm", .string($0.arm)), ("best_on", .integer($0.wins)), ("median_task_return", .real($0.median))]) }))])
    }
}
