import AssetsData
import EnvironmentsData
import Envs
import Foundation

/// A task set drawn again for one run seed (``RunConfig/redrawTasks``): paper 000 samples the
/// tasks "at the start of each experiment" (appendix A.3), so each seed trains on its own draw.
///
/// The set's definition is read from the bundled family file that holds it; it must be a
/// `draw` set. The draw's seed becomes `family seed + run seed` (run seed 0 is the bundled set
/// itself); the distributions, the count and the held-out tasks are the family file's, so
/// held-out tasks are the same for every seed.
func redrawnTaskSet(_ name: String, runSeed: UInt64, registry: TaskRegistry) throws -> TaskSet {
    let folders = [EnvironmentsData.familiesDirectory, AssetsData.directory("families")].compactMap { $0 }
    for folder in folders {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            let url = folder.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8), let family = try? JSONValue.parse(text),
                  let definition = family["task_sets"]?[name] else { continue }
            guard let draw = definition["draw"], let seed = draw["seed"]?.doubleValue else {
                throw TrainingError("redraw_tasks needs a drawn task set, but \(name) (family file \(file)) lists its tasks (no 'draw'); set redraw_tasks to false")
            }
            let drawSeed = seed + Double(runSeed)
            guard drawSeed < 9.007_199_254_740_992e15 else {
                throw TrainingError("redraw_tasks: the draw seed of \(name) plus the run seed \(runSeed) exceeds 2^53; use a smaller seed")
            }
            let redrawn = definition.setting("draw", to: draw.setting("seed", to: .integer(Int(drawSeed))))
            do {
                return try TaskSet.decode(name: name, from: redrawn, registry: registry, context: "family file \(file), redrawn for seed \(runSeed)")
            } catch { throw TrainingError(error.message) }
        }
    }
    throw TrainingError("redraw_tasks needs a task set of the bundled family files, and \(name) is not one of them; set redraw_tasks to false")
}
