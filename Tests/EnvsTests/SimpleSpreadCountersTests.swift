import Envs
import Testing

@Suite("simple spread's episode counters: collisions and landmarks covered")
struct SimpleSpreadCountersTests {
    @Test("colliding pairs and covered landmarks of a state, by hand")
    func byHand() {
        // Agents at (0, 0), (0.2, 0) and (1, 1): with radius 0.15 only the first pair collides
        // (0.2 < 0.3). Landmarks at (0.05, 0) (agent 0 within 0.1), (1, 1.2) (0.2 away: not
        // covered) and (−1, −1).
        let state: [Float] = [0, 0, 0, 0, 0.2, 0, 0, 0, 1, 1, 0, 0, 0.05, 0, 1, 1.2, -1, -1]
        state.withUnsafeBufferPointer { s in
            #expect(simpleSpreadCollidingPairs(state: s, agents: 3, size: 0.15) == 1)
            #expect(simpleSpreadCollidingPairs(state: s, agents: 3, size: 0.09) == 0)
            #expect(simpleSpreadCoveredLandmarks(state: s, agents: 3, landmarks: 3, within: 0.1) == 1)
            #expect(simpleSpreadCoveredLandmarks(state: s, agents: 3, landmarks: 3, within: 0.25) == 2)
        }
    }

    @Test("the batch sums collisions over steps and counts landmarks at the last state only")
    func accumulation() throws {
        let batch = try SimpleSpreadBatch(parameters: [SimpleSpread.Parameters()], firstIndex: 0)
        #expect(batch.episodeCounterNames == ["env/collisions", "env/landmarks_covered"])
        let state: [Float] = [0, 0, 0, 0, 0.2, 0, 0, 0, 1, 1, 0, 0, 0.05, 0, 1, 1.2, -1, -1]
        var totals: [Double] = [0, 0]
        state.withUnsafeBufferPointer { s in
            totals.withUnsafeMutableBufferPointer { t in
                batch.accumulateEpisodeCounters(row: 0, state: s, last: false, into: t.baseAddress!)
                batch.accumulateEpisodeCounters(row: 0, state: s, last: true, into: t.baseAddress!)
            }
        }
        #expect(totals == [2, 1])
    }
}
