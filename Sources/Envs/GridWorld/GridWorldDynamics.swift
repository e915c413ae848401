import Foundation

/// A grid world compiled for stepping: every (cell, action) lists its outcomes (next cell,
/// cumulative probability, reward, whether it ends the episode), so a step is one table
/// lookup and at most one uniform draw. Built once per distinct ``GridWorld/Parameters`` and
/// shared by every copy (``compiled(_:)`` caches it).
public final class GridWorldDynamics: @unchecked Sendable {
    public let parameters: GridWorld.Parameters
    public let map: GridMap
    /// Cells an episode may start in (uniform draw; no draw when there is one).
    public let startCells: [Int32]
    /// Pointers into the outcome tables, for hot loops.
    public let table: GridWorldTable
    public let observationSpace: Space

    private let storage: [UnsafeMutableRawPointer]

    /// The compiled tables of `parameters` (parsed map included), from a shared cache.
    public static func compiled(_ parameters: GridWorld.Parameters) throws(EnvironmentError) -> GridWorldDynamics {
        try GridWorldDynamicsCache.shared.dynamics(parameters)
    }

    init(parameters p: GridWorld.Parameters) throws(EnvironmentError) {
        let map = try GridMap.named(p.map)
        self.parameters = p
        self.map = map
        let n = map.cellCount, a = p.actions
        var rows: [GridOutcomeRange] = []
        var outcomes: [GridOutcome] = []
        for s in 0..<n {
            for action in 0..<a {
                var total = 0.0
                let first = outcomes.count
                for o in gridWorldOutcomes(map, p, cell: s, action: action) {
                    total += o.probability
                    outcomes.append(GridOutcome(cumulative: total, reward: gridWorldReward(map, p, from: s, to: o.next),
                                                next: Int32(o.next), ends: gridWorldIsTerminal(map, p, o.next)))
                }
                outcomes[outcomes.count - 1].cumulative = 1  // guard against rounding: the last outcome closes the row
                rows.append(GridOutcomeRange(first: Int32(first), last: Int32(outcomes.count - 1)))
            }
        }
        startCells = gridWorldStartCells(map, p).map(Int32.init)
        guard !startCells.isEmpty else {
            throw .invalid("map \(p.map): start '\(p.start)' leaves no cell to start in")
        }
        for c in startCells where map.cells[Int(c)] == .wall || gridWorldIsTerminal(map, p, Int(c)) {
            throw .invalid("map \(p.map): start '\(p.start)' is cell \(c), a wall or a cell that ends the episode")
        }
        func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
            let ptr = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
            ptr.initialize(from: values, count: values.count)
            return ptr
        }
        let pr = copy(rows), po = copy(outcomes)
        storage = [UnsafeMutableRawPointer(pr), UnsafeMutableRawPointer(po)]
        let kind = GridWorld.Parameters.observationModes.firstIndex(of: p.observation) ?? 0
        table = GridWorldTable(cellCount: n, actionCount: a, columns: map.columns, observationKind: Int32(kind),
                               rows: pr, outcomes: po)
        switch kind {
        case 1: observationSpace = .box(Box(shape: [n], low: 0, high: 1))
        case 2: observationSpace = .box(low: [0, 0], high: [Float(map.rows - 1), Float(map.columns - 1)])
        default: observationSpace = .discrete(n)
        }
    }

    deinit {
        for p in storage { p.deallocate() }
    }

    /// Draws a start cell.
    @inlinable @inline(__always)
    public func drawStart(_ g: inout RandomGenerator) -> Int32 {
        startCells.count == 1 ? startCells[0] : startCells[g.below(startCells.count)]
    }

    /// The exact model (see ``TabularModel``).
    public func tabularModel() throws(EnvironmentError) -> TabularModel {
        let n = map.cellCount, a = parameters.actions
        try MemoryBudget.standard.check(Double(n) * Double(a) * Double(n) * 8 + Double(n) * Double(a) * 16,
                                        for: "the exact model of a \(map.rows) × \(map.columns) grid (\(n) states × \(a) actions × \(n) states)")
        var transitions = [Double](repeating: 0, count: n * a * n)
        var rewards = [Double](repeating: 0, count: n * a)
        var terminal = [Bool](repeating: false, count: n)
        for s in 0..<n { terminal[s] = gridWorldIsTerminal(map, parameters, s) }
        for s in 0..<n {
            for action in 0..<a {
                let row = s * a + action
                var previous = 0.0
                for k in Int(table.rows[row].first)...Int(table.rows[row].last) {
                    let o = table.outcomes[k]
                    let p = o.cumulative - previous
                    previous = o.cumulative
                    transitions[row * n + Int(o.next)] += p
                    rewards[row] += p * o.reward
                }
            }
        }
        var initial = [Double](repeating: 0, count: n)
        for c in startCells { initial[Int(c)] += 1 / Double(startCells.count) }
        return try TabularModel(stateCount: n, actionCount: a, transitions: transitions, rewards: rewards,
                                initial: initial, terminal: terminal)
    }
}

/// Raw pointers to a ``GridWorldDynamics``' tables (valid while it lives): the hot loops'
/// view, free of reference counting and bounds checks.
public struct GridWorldTable: @unchecked Sendable {
    public let cellCount: Int
    public let actionCount: Int
    public let columns: Int
    /// 0 index, 1 one-hot, 2 row-col.
    public let observationKind: Int32
    /// `[cells × actions]`: the outcomes of row `s·A + a` (one load for both ends).
    public let rows: UnsafeMutablePointer<GridOutcomeRange>
    /// Every outcome, row after row (one load per sampled outcome).
    public let outcomes: UnsafeMutablePointer<GridOutcome>

    /// One transition: a single outcome needs no draw; otherwise one uniform draw picks the
    /// first outcome whose cumulative probability exceeds it.
    @inlinable @inline(__always)
    public func sample(cell: Int, action: Int, _ g: inout RandomGenerator) -> (next: Int32, reward: Double, ends: Bool) {
        let range = rows[cell &* actionCount &+ action]
        var k = Int(range.first)
        let last = Int(range.last)
        if k != last {
            let u = g.nextUnit()
            while k < last && !(u < outcomes[k].cumulative) { k &+= 1 }
        }
        let o = outcomes[k]
        return (o.next, o.reward, o.ends)
    }

    /// Writes the observation of `cell` (1, `cellCount` or 2 floats by ``observationKind``).
    @inlinable @inline(__always)
    public func observe(cell: Int32, into o: UnsafeMutablePointer<Float>) {
        switch observationKind {
        case 1:
            o.update(repeating: 0, count: cellCount)
            o[Int(cell)] = 1
        case 2:
            o[0] = Float(Int(cell) / columns)
            o[1] = Float(Int(cell) % columns)
        default:
            o[0] = Float(cell)
        }
    }
}

/// The outcomes `first ... last` of one (cell, action).
public struct GridOutcomeRange: Sendable {
    public var first: Int32
    public var last: Int32
}

/// One outcome of a (cell, action): the running cumulative probability of its row, the reward,
/// the next cell and whether entering it ends the episode.
public struct GridOutcome: Sendable {
    public var cumulative: Double
    public var reward: Double
    public var next: Int32
    public var ends: Bool
}

/// Compiled dynamics by parameters: a batch of 4096 copies compiles its map once.
final class GridWorldDynamicsCache: @unchecked Sendable {
    static let shared = GridWorldDynamicsCache()
    private let lock = NSLock()
    private var table: [GridWorld.Parameters: GridWorldDynamics] = [:]

    func dynamics(_ p: GridWorld.Parameters) throws(EnvironmentError) -> GridWorldDynamics {
        lock.lock()
        defer { lock.unlock() }
        if let d = table[p] { return d }
        let d = try GridWorldDynamics(parameters: p)
        table[p] = d
        return d
    }
}

/// Row and column offsets of the moves 0 left, 1 down, 2 right, 3 up, 4 stay.
let gridMoves: [(dr: Int, dc: Int)] = [(0, -1), (1, 0), (0, 1), (-1, 0), (0, 0)]

/// Whether entering `cell` ends the episode.
public func gridWorldIsTerminal(_ map: GridMap, _ p: GridWorld.Parameters, _ cell: Int) -> Bool {
    switch map.cells[cell] {
    case .goal: return p.goalEndsEpisode
    case .obstacle: return p.obstacleEndsEpisode
    default: return false
    }
}

/// The reward of the step from `from` into `to` (0 from a terminal cell, which loops on itself).
public func gridWorldReward(_ map: GridMap, _ p: GridWorld.Parameters, from: Int, to: Int) -> Double {
    if gridWorldIsTerminal(map, p, from) || map.cells[from] == .wall { return 0 }
    switch map.cells[to] {
    case .goal: return p.goalReward
    case .obstacle: return p.obstacleReward
    default: return p.stepReward
    }
}

/// The cell reached from `cell` by `move`: walls and edges block.
public func gridWorldMove(_ map: GridMap, cell: Int, move: Int) -> Int {
    let r = cell / map.columns + gridMoves[move].dr, c = cell % map.columns + gridMoves[move].dc
    guard r >= 0, r < map.rows, c >= 0, c < map.columns, map.cell(r, c) != .wall else { return cell }
    return r * map.columns + c
}

/// The outcomes of `action` in `cell`, in sampling order, equal next cells merged: the
/// slipped moves in Gymnasium's order `[(a−1) mod 4, a, (a+1) mod 4]`, each followed by the
/// independent wind pushes up, down, left, right. Terminal cells and walls loop on themselves.
public func gridWorldOutcomes(_ map: GridMap, _ p: GridWorld.Parameters, cell: Int, action: Int) -> [(next: Int, probability: Double)] {
    if gridWorldIsTerminal(map, p, cell) || map.cells[cell] == .wall { return [(cell, 1)] }
    var moves: [(move: Int, probability: Double)]
    if action == 4 || p.slip == 0 {
        moves = [(action, 1)]
    } else {
        moves = [((action + 3) % 4, p.slip / 2), (action, 1 - p.slip), ((action + 1) % 4, p.slip / 2)]
    }
    var outcomes: [(next: Int, probability: Double)] = []
    func add(_ next: Int, _ probability: Double) {
        guard probability > 0 else { return }
        if let i = outcomes.firstIndex(where: { $0.next == next }) { outcomes[i].probability += probability } else {
            outcomes.append((next, probability))
        }
    }
    let winds = [(3, p.windUp), (1, p.windDown), (0, p.windLeft), (2, p.windRight)].filter { $0.1 > 0 }
    for m in moves where m.probability > 0 {
        var branches = [(cell: gridWorldMove(map, cell: cell, move: m.move), probability: m.probability)]
        for (direction, w) in winds {
            branches = branches.flatMap { b in
                [(b.cell, b.probability * (1 - w)), (gridWorldMove(map, cell: b.cell, move: direction), b.probability * w)]
            }
        }
        for b in branches { add(b.cell, b.probability) }
    }
    return outcomes
}

/// The cells an episode may start in, by the `start` parameter.
public func gridWorldStartCells(_ map: GridMap, _ p: GridWorld.Parameters) -> [Int] {
    let last = map.cellCount - 1
    switch p.start {
    case "top-left": return [0]
    case "top-right": return [map.columns - 1]
    case "bottom-left": return [last - (map.columns - 1)]
    case "bottom-right": return [last]
    case "uniform":
        return (0...last).filter { map.cells[$0] == .empty || map.cells[$0] == .start }
    default:
        return (0...last).filter { map.cells[$0] == .start }
    }
}
