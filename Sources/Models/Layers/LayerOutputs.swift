import TensorCore

/// What `output_hidden_states=True` and `output_attentions=True` collect during one forward pass: the embeddings'
/// output and each layer's (`hidden_states`), and each layer's attention probabilities `[batch, heads, seq, seq]`
/// (`attentions`). An encoder-decoder records each stack under its prefix (`encoder_hidden_states`,
/// `decoder_attentions`, `cross_attentions`). A pass fills it on the thread that runs it, layer by layer; the default
/// pass has none and computes no probabilities.
final class LayerOutputs: @unchecked Sendable {
    let wantsHiddenStates: Bool, wantsAttentions: Bool
    /// The output fields recorded so far, in the order first recorded (None where a layer was skipped).
    private var recorded = [(field: String, tensors: [Tensor?])]()

    init(hiddenStates: Bool, attentions: Bool) {
        (wantsHiddenStates, wantsAttentions) = (hiddenStates, attentions)
    }

    /// Keeps the embeddings' or a layer's output, in the field `stack + "hidden_states"`.
    func record(hidden: Tensor, stack: String = "") {
        if wantsHiddenStates { append(hidden, to: stack + "hidden_states") }
    }

    /// Keeps a layer's attention probabilities, computed only when asked for, in the field `stack + "attentions"`.
    func record(stack: String = "", attention: () throws -> Tensor) rethrows {
        if wantsAttentions { append(try attention(), to: stack + "attentions") }
    }

    /// Starts each stack's attentions as an empty tuple, as transformers does before its layers (LayerDrop may skip
    /// them all).
    func beginAttentions(stacks: [String]) {
        guard wantsAttentions else { return }
        for field in stacks.map({ $0 + "attentions" }) where !recorded.contains(where: { $0.field == field }) { recorded.append((field, [])) }
    }

    /// Marks a layer LayerDrop skipped: None in its place among the attentions, as transformers' tuple has it.
    func recordNoAttention(stack: String) {
        if wantsAttentions { append(nil, to: stack + "attentions") }
    }

    private func append(_ tensor: Tensor?, to field: String) {
        if let i = recorded.firstIndex(where: { $0.field == field }) { recorded[i].tensors.append(tensor) } else { recorded.append((field, [tensor])) }
    }

    /// The output with each recorded field set to its tuple.
    func filling(_ output: ModelOutput) -> ModelOutput {
        recorded.reduce(output) { $0.setting($1.field, .tensors($1.tensors)) }
    }
}
