import Envs
import Testing
import Training

@Suite("Replay buffer: ring order, alignment, sampling, waiting, checkpoints, bad input")
struct ReplayBufferTests {
    @Test("the last M entries are kept in slot order step mod M; aligned buffers share slots")
    func ringAndAlignment() throws {
        var a = try ReplayBuffer(capacity: 3, width: 2)
        var b = try ReplayBuffer(capacity: 3, width: 1)
        for t in 0..<5 {
            #expect(a.append([Float(t), Float(10 * t)]) == t % 3)
            #expect(b.append([Float(-t)]) == a.slot(ofStep: t))
        }
        #expect(a.count == 3 && a.appended == 5)
        // Steps 3 and 4 overwrote slots 0 and 1; slot 2 still holds step 2.
        #expect(Array(a.entry(0)) == [3, 30] && Array(a.entry(1)) == [4, 40] && Array(a.entry(2)) == [2, 20])
        #expect(Array(b.entry(1)) == [-4])
        var c = try ReplayBuffer(capacity: 3, width: 2)
        for t in 0..<4 { c.append([Float(t), 0]) }
        #expect(!a.isAligned(with: c))
        c.append([4, 0])
        #expect(a.isAligned(with: c))
        #expect(!a.isAligned(with: try ReplayBuffer(capacity: 4, width: 2)))
    }

    @Test("a batch larger than the buffer waits (no draw), then draws held slots only, deterministically")
    func samplingWaits() throws {
        var d = try ReplayBuffer(capacity: 100, width: 1)
        var g = RandomGenerator(seed: 3)
        var slots: [Int] = []
        for t in 0..<7 { d.append([Float(t)]) }
        let before = g
        #expect(try d.sample(8, generator: &g, into: &slots) == false)
        #expect(g == before && slots.isEmpty)
        d.append([7])
        #expect(try d.sample(8, generator: &g, into: &slots) == true)
        #expect(slots.count == 8 && slots.allSatisfy { (0..<8).contains($0) })
        var h = before
        var again: [Int] = []
        _ = try d.sample(8, generator: &h, into: &again)
        #expect(again == slots)
    }

    @Test("checkpoint round trip restores entries and the append count exactly")
    func checkpoint() throws {
        var d = try ReplayBuffer(capacity: 4, width: 3)
        for t in 0..<6 { d.append([Float(t), Float(t) + 0.5, -Float(t)]) }
        var tensors: [String: [Float]] = [:]
        for t in d.checkpointTensors(prefix: "replay.") { tensors[t.name] = t.values }
        var e = try ReplayBuffer(capacity: 4, width: 3)
        try e.restore(from: tensors, prefix: "replay.")
        #expect(e == d)
        #expect(throws: TrainingError.self) { try e.restore(from: [:], prefix: "replay.") }
    }

    @Test("a capacity or batch size below 1 is one sentence")
    func badInput() {
        func message(_ body: () throws -> Void) -> String? {
            do { try body() } catch let e as TrainingError { return e.message } catch { return "\(error)" }
            return nil
        }
        #expect(message { _ = try ReplayBuffer(capacity: 0, width: 4) } == "the replay capacity must be at least 1, got 0")
        #expect(message { _ = try ReplayBuffer(capacity: 10, width: 4).canSample(0) } == "the batch size must be at least 1, got 0")
    }
}
