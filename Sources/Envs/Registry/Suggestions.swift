/// The name in `names` closest to `word` by edit distance, if it is close enough to be a
/// plausible typo (at most a third of the longer word's length, and at least one edit allowed).
public func closestName(to word: String, among names: [String]) -> String? {
    var best: (name: String, distance: Int)?
    for name in names {
        let d = editDistance(word, name)
        if best == nil || d < best!.distance { best = (name, d) }
    }
    guard let found = best else { return nil }
    let allowed = max(2, max(word.count, found.name.count) / 3)
    return found.distance <= allowed ? found.name : nil
}

/// Levenshtein distance between two strings (insertions, deletions, substitutions).
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}
