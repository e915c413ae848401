import Envs
import Foundation

/// The paper's Table I cells for a preset's arms (`"paper_table_i": {"ARM": percent, …}`):
/// paper 000's relative deviation of the final policy parameters across the agents, in per cent
/// as the paper prints it (Diff-A2C 3.10 %, specialised agents 114.08 % on random-mass Hopper).
/// The comparison table prints each arm's cell in a `PAPER TABLE I` column beside our
/// `REL. DEV. (TABLE I)`; arms the paper gives no cell for show `—`.
struct PresetPaperTableI: Equatable {
    /// Arm name → the paper's relative deviation in per cent.
    var cells: [String: Double]

    static let key = "paper_table_i"

    static func decode(_ json: JSONValue, file: String, arms: [String]) throws -> PresetPaperTableI {
        guard let pairs = json.objectPairs, !pairs.isEmpty else {
            throw CLIError("preset \(file): '\(key)' must map arm names to the paper's relative deviation in per cent, e.g. {\"Diff-A2C (ring)\": 3.56}")
        }
        var cells: [String: Double] = [:]
        for (arm, value) in pairs {
            guard arms.contains(arm) else {
                throw CLIError("preset \(file): \(key) names arm '\(arm)', but the arms are \(arms.joined(separator: ", "))")
            }
            guard let d = value.doubleValue, d.isFinite, d >= 0 else {
                throw CLIError("preset \(file): \(key).\(arm) must be a non-negative number of per cent, got \(value)")
            }
            cells[arm] = d
        }
        return PresetPaperTableI(cells: cells)
    }

    /// The printed cell of an arm: "3.10 %", or "—" where the paper gives none.
    func cell(_ arm: String) -> String {
        guard let v = cells[arm] else { return "—" }
        return String(format: "%.2f %%", v)
    }
}
