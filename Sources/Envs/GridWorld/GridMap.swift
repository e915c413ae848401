import AssetsData
import Foundation

/// A grid map read from plain text: one character per cell, one line per row, row 0 at the top.
///
/// | char | cell |
/// |---|---|
/// | `.` or `F` | empty (frozen ice in Frozen Lake maps) |
/// | `#` | wall: moves into it leave the agent in place |
/// | `S` | start (several `S` cells: a uniform draw among them) |
/// | `G` | goal |
/// | `X` or `H` | obstacle (a hole in Frozen Lake maps) |
///
/// Blank lines at the end are ignored; a `\r` before a line end is dropped. Cell index =
/// `row · columns + column` (Gymnasium's convention).
public struct GridMap: Sendable, Equatable {
    /// What a cell holds.
    public enum Cell: UInt8, Sendable, Equatable {
        case empty, wall, start, goal, obstacle
    }

    public let rows: Int
    public let columns: Int
    /// Row-major cells.
    public let cells: [Cell]
    /// The original characters, row by row (kept for drawing: `H` and `X` look different).
    public let lines: [String]

    public var cellCount: Int { rows * columns }

    @inlinable public func cell(_ row: Int, _ column: Int) -> Cell { cells[row * columns + column] }

    /// Parses map text; `source` (a file name) starts every error message, which also names the
    /// line and column of the problem.
    public init(text: String, source: String) throws(EnvironmentError) {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first else {
            throw .invalid("map \(source), line 1, column 1: the map is empty")
        }
        let width = first.count
        // The compiled dynamics keep a few hundred bytes per cell and action.
        try MemoryBudget.standard.check(Double(width) * Double(lines.count) * 1024, for: "map \(source), \(lines.count) rows × \(width) columns")
        var cells: [Cell] = []
        for (r, line) in lines.enumerated() {
            guard line.count == width else {
                throw .invalid("map \(source), line \(r + 1), column \(min(line.count, width) + 1): the map is ragged: this row has \(line.count) cells, row 1 has \(width)")
            }
            for (c, ch) in line.enumerated() {
                switch ch {
                case ".", "F": cells.append(.empty)
                case "#": cells.append(.wall)
                case "S": cells.append(.start)
                case "G": cells.append(.goal)
                case "X", "H": cells.append(.obstacle)
                default:
                    throw .invalid("map \(source), line \(r + 1), column \(c + 1): unknown character '\(ch)'; valid cells are . or F (empty), # (wall), S (start), G (goal), X or H (obstacle)")
                }
            }
        }
        guard width > 0 else { throw .invalid("map \(source), line 1, column 1: the first row is empty") }
        let end = "line \(lines.count), column \(width + 1)"
        guard cells.contains(.start) else { throw .invalid("map \(source), \(end): the map has no start cell S") }
        guard cells.contains(.goal) else { throw .invalid("map \(source), \(end): the map has no goal cell G") }
        self.rows = lines.count
        self.columns = width
        self.cells = cells
        self.lines = lines
    }

    /// The bundled map `Assets/maps/<name>.txt`, parsed once and cached.
    public static func named(_ name: String) throws(EnvironmentError) -> GridMap {
        try GridMapCache.shared.map(named: name)
    }

    /// Names of the bundled maps, sorted.
    public static var bundledNames: [String] {
        guard let folder = AssetsData.directory("maps"),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return files.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }
}

/// Parsed bundled maps by name: every copy of a batch shares one parse (a lock guards the table).
final class GridMapCache: @unchecked Sendable {
    static let shared = GridMapCache()
    private let lock = NSLock()
    private var maps: [String: GridMap] = [:]

    func map(named name: String) throws(EnvironmentError) -> GridMap {
        lock.lock()
        defer { lock.unlock() }
        if let m = maps[name] { return m }
        guard let folder = AssetsData.directory("maps") else {
            throw .invalid("the bundled maps are missing (resource bundle not found next to the program)")
        }
        let url = folder.appendingPathComponent(name + ".txt")
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            var message = "unknown map '\(name)'"
            let names = GridMap.bundledNames
            if let guess = closestName(to: name, among: names) { message += "; did you mean '\(guess)'?" }
            throw .invalid(message + " Bundled maps: \(names.joined(separator: ", ")).")
        }
        let m = try GridMap(text: text, source: "\(name).txt")
        maps[name] = m
        return m
    }
}
