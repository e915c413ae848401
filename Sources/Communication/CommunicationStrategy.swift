/// Where a trainer's local learning step goes relative to ``CommunicationStrategy/communicate(round:buffers:transport:ledger:)``.
public enum LocalStepPlacement: Sendable, Equatable {
    /// Adapt, then communicate: the trainer applies its step to `parameters` first
    /// (diffusion adapt-then-combine, event-triggered diffusion, no communication).
    case beforeCommunication
    /// Communicate, then adapt: the trainer computes its step at the combined
    /// parameters afterwards (diffusion combine-then-adapt).
    case afterCommunication
    /// The strategy applies the step: the trainer writes it to `updates` (or its
    /// returns to `returns`) and does not touch `parameters` (consensus, central
    /// averaging, lazy aggregation, evolution strategies).
    case insideCommunication
}

/// Which ``CohortBuffers`` fields a strategy reads besides `parameters`.
public struct StrategyInputs: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The local steps in `updates`.
    public static let updates = StrategyInputs(rawValue: 1)
    /// The scalar returns in `returns`.
    public static let returns = StrategyInputs(rawValue: 2)
}

/// What each agent sends, when, and how it combines what arrived.
///
/// This is the seam a trainer (the `Cohort` of networked learners) plugs strategies
/// into. Per round `r = 0, 1, 2, …` the trainer
/// 1. lets every agent collect experience and compute its local step;
/// 2. applies the step to `buffers.parameters` if ``localStep`` is
///    `.beforeCommunication`, or writes it to `buffers.updates` (or the return to
///    `buffers.returns`) if it is `.insideCommunication`;
/// 3. calls ``communicate(round:buffers:transport:ledger:)`` once;
/// 4. applies its step now if ``localStep`` is `.afterCommunication` (computing the
///    gradient at the combined parameters).
///
/// **Contract of `communicate`.**
/// - It calls `transport.beginRound(round)` first, then sends every message through
///   ``MessageLedger/post(_:from:to:round:through:)`` (so the ledger equals what the
///   transport carried), calls `transport.deliver()` once per hop, and reads inboxes.
/// - It reads and writes only the rows of `transport.localAgents` (all agents in
///   memory), and does controller work only when `transport.hostsController`.
/// - It never assumes a message arrived: the messages that did not are listed in the
///   returned ``RoundReport/missing``; mixing strategies put their weight on the
///   receiver itself.
/// - Its result must not depend on the order of an inbox: combine in a canonical order
///   (ascending source index).
/// - It is deterministic: any randomness is drawn from seeds and the round index.
/// - It may keep state across rounds (stale copies, send histories, rolling
///   statistics); rounds must be presented in increasing order.
///
/// `CommunicationTesting.StrategyVerifier` checks these properties for any strategy.
public protocol CommunicationStrategy {
    /// The command-line name ("diffusion-atc", "consensus", …).
    var name: String { get }
    /// Where the trainer's local step goes (see ``LocalStepPlacement``).
    var localStep: LocalStepPlacement { get }
    /// The buffers read besides parameters.
    var inputs: StrategyInputs { get }

    /// Runs one communication round over `transport`, recording in `ledger`, and
    /// leaves the combined parameters in `buffers.parameters`.
    /// - Throws: ``CommunicationError/shapeMismatch(_:)`` when the buffers do not match
    ///   the strategy's agent count or a received payload has the wrong length.
    mutating func communicate<T: Transport>(
        round: Int, buffers: inout CohortBuffers, transport: inout T, ledger: inout MessageLedger
    ) throws -> RoundReport

    /// Whether ``communicate(round:buffers:transport:ledger:)`` leaves `parameters` as they
    /// were and writes, in `updates`, the step direction each agent should apply itself (with
    /// its own optimiser). False for every strategy that applies its combination itself.
    var writesGradients: Bool { get }

    /// The links the strategy may use (default: any agent to any agent, and the controller).
    var channels: StrategyChannels { get }
}

extension CommunicationStrategy {
    public var writesGradients: Bool { false }
    public var channels: StrategyChannels { .any }
}
