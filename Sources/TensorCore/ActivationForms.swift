import Synchronization

/// The latest layer inputs in the forms their kernels read (a bfloat16 input's converted rows, an int8 layer's
/// quantized activations), kept for the next layers that read the same tensor: an attention's query, key and value
/// layers, and the layer after a layer norm or a feed-forward's GELU, which write the form with their output. Only
/// the latest `capacity` are kept, whatever else holds their tensors (autograd, a window over one tensor), so they
/// cost a few inputs' memory at most. A form is found by its tensor's storage (held weakly: a freed storage's address
/// can come back) and view, while the storage is at the version the form was made from.
enum ActivationForms {
    /// How many forms are kept: a model reads each input right after it is written, or three times in a row.
    static let capacity = 2

    private struct Entry: @unchecked Sendable {
        weak var storage: TensorStorage?
        let key: PackedKey
        let form: any PackedForm
    }

    private static let entries = Mutex<[Entry]>([])

    /// `view`'s form: the kept one, or `make(version)`'s (then kept).
    static func form<Form: PackedForm, Failure: Error>(of view: Tensor, making make: (_ version: Int) throws(Failure) -> Form) throws(Failure) -> Form {
        let key = PackedKey(Form.self, view), storage = view.storage
        let kept = entries.withLock { entries in
            entries.last { $0.storage === storage && $0.key == key }?.form as? Form
        }
        if let kept, kept.version == storage.version { return kept }
        let form = try make(storage.version)
        keep(form, for: view)
        return form
    }

    /// Keeps `form`, made from `view` at its storage's current version (by the operation that wrote it).
    static func keep<Form: PackedForm>(_ form: Form, for view: Tensor) {
        let key = PackedKey(Form.self, view), storage = view.storage
        entries.withLock { entries in
            entries.removeAll { $0.storage == nil || ($0.storage === storage && $0.key == key) }
            entries.append(Entry(storage: storage, key: key, form: form))
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
    }
}
