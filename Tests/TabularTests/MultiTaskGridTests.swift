import Foundation
import Testing
import Envs
@testable import Tabular

/// The 10×10 sets of paper 001 Fig. 2, checked with exact planning on the summed objective (5).
@Suite struct MultiTaskGridTests {
    static let gamma = 0.9

    func models(_ set: String, _ overrides: [(String, JSONValue)] = []) throws -> [TabularModel] {
        let registry = try TaskRegistry.standard
        let taskSet = try registry.taskSet(set)
        let task = try #require(try registry.task(taskSet.task.description) as? any TabularTask)
        return try taskSet.tasks.map { try task.tabularModel($0.merging(.object(overrides)), context: set) }
    }

    /// The most goals any shared policy can reach: the product with +1 per goal, γ = 1.
    func maxGoals(_ set: String) throws -> Double {
        let product = try MultiTaskProduct(try models(set, [("obstacle_reward", .real(0))]))
        let v = try valueIteration(product.mdp, discount: 1).values
        return zip(product.mdp.initial, v).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// (Σ_i optimum of task i alone, the product's optimum of the sum, the value of the
    /// state-only policy read off the product's optimal path, whether that path repeats no cell).
    func summed(_ set: String) throws -> (separate: Double, product: Double, shared: Double, simplePath: Bool) {
        let tasks = try models(set)
        let mdps = tasks.map { FiniteMDP($0) }
        var separate = 0.0
        for m in mdps {
            let v = try valueIteration(m, discount: Self.gamma).values
            separate += zip(m.initial, v).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let product = try MultiTaskProduct(tasks)
        let solution = try valueIteration(product.mdp, discount: Self.gamma)
        let start = try #require(product.mdp.initial.firstIndex(of: 1))
        let path = mostLikelyPath(product.mdp, policy: solution.policy, from: start)
        // The shared policy: the product's action along the path, task 0's optimum elsewhere.
        let a = mdps[0].actionCount
        var policy = try valueIteration(mdps[0], discount: Self.gamma).policy
        var cells = Set<Int>()
        var simple = true
        for index in path.dropLast() {
            let cell = product.decode(index).state
            guard cells.insert(cell).inserted else { simple = false; continue }
            for k in 0..<a { policy[cell * a + k] = solution.policy[index * a + k] }
        }
        var shared = 0.0
        for m in mdps {
            let v = try evaluatePolicy(m, policy: policy, discount: Self.gamma)
            shared += zip(m.initial, v).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let productValue = zip(product.mdp.initial, solution.values).reduce(0) { $0 + $1.0 * $1.1 }
        return (separate, productValue, shared, simple)
    }

    @Test func noConflictAndResolvableAdmitASharedPolicyReachingEveryGoal() throws {
        for set in ["dcpg-no-conflict", "dcpg-resolvable"] {
            #expect(try maxGoals(set) == 4, "\(set)")
            let r = try summed(set)
            // The optimum of the sum is the sum of the optima, attained by one state-only policy.
            #expect(abs(r.product - r.separate) < 1e-9, "\(set): \(r)")
            #expect(r.simplePath)
            #expect(abs(r.shared - r.product) < 1e-9, "\(set): \(r)")
        }
    }

    @Test func unresolvableReachesThreeGoalsAtMost() throws {
        #expect(try maxGoals("dcpg-unresolvable") == 3)
        let r = try summed("dcpg-unresolvable")
        #expect(r.product < r.separate - 0.1, "\(r)")
        // The product's optimum, γ³ + γ¹⁰: goal 1, then straight along row 2 through goal 2
        // (environment 3's obstacle, so those two rewards cancel) to goal 4; any detour around
        // that cell only delays goal 4, so the optimal shared policy finishes three tasks.
        #expect(abs(r.product - (pow(Self.gamma, 3) + pow(Self.gamma, 10))) < 1e-9)
    }

    /// Fig. 2 (d)/(e): the same six maps; from the top-right corner one shared policy attains
    /// every task's own optimum, from the top-left corner none does (every goal stays reachable).
    @Test func startCornerDecidesWhetherTheGlobalOptimumIsTheSumOfOptima() throws {
        let left = try summed("dcpg-start-top-left"), right = try summed("dcpg-start-top-right")
        #expect(abs(right.product - right.separate) < 1e-9, "\(right)")
        #expect(abs(right.shared - right.product) < 1e-9)
        #expect(left.product < left.separate - 0.05, "\(left)")
        #expect(try maxGoals("dcpg-start-top-left") == 6)
    }

    @Test func productRejectsTasksWithDifferentDynamics() throws {
        let a = try GridWorld.Parameters.simple5x5.tabularModel(), b = try GridWorld.Parameters.windy5x5.tabularModel()
        #expect(throws: TabularError.self) { try MultiTaskProduct([a, b]) }
    }

    @Test func sixTaskPlanningIsFast() throws {
        let tasks = try models("dcpg-start-top-right")
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let product = try MultiTaskProduct(tasks)
            _ = try valueIteration(product.mdp, discount: Self.gamma)
        }
        // Debug builds are ~10× slower than release; the release figure is in docs/grid-world.md.
        #expect(elapsed < .seconds(10))
    }
}
