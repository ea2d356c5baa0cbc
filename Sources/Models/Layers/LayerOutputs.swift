import TensorCore

/// What `output_hidden_states=True` and `output_attentions=True` collect during one forward pass: the embeddings'
/// output and each layer's (`hidden_states`), and each layer's attention probabilities `[batch, heads, seq, seq]`
/// (`attentions`). A pass fills it on the thread that runs it, layer by layer; the default pass has none and computes
/// no probabilities.
final class LayerOutputs: @unchecked Sendable {
    let wantsHiddenStates: Bool, wantsAttentions: Bool
    private(set) var hiddenStates = [Tensor](), attentions = [Tensor]()

    init(hiddenStates: Bool, attentions: Bool) {
        (wantsHiddenStates, wantsAttentions) = (hiddenStates, attentions)
    }

    /// Keeps the embeddings' or a layer's output.
    func record(hidden: Tensor) {
        if wantsHiddenStates { hiddenStates.append(hidden) }
    }

    /// Keeps a layer's attention probabilities, computed only when asked for.
    func record(attention: () throws -> Tensor) rethrows {
        if wantsAttentions { attentions.append(try attention()) }
    }

    /// The output with its `hidden_states` and `attentions` fields set as asked.
    func filling(_ output: ModelOutput) -> ModelOutput {
        output.setting("hidden_states", wantsHiddenStates && !hiddenStates.isEmpty ? .tensors(hiddenStates) : nil)
            .setting("attentions", wantsAttentions && !attentions.isEmpty ? .tensors(attentions) : nil)
    }
}
