import Language
import TensorCore

/// The MIME bundle of a cell's value: `text/plain` always (IPython's layout, a tensor exactly as PyTorch prints
/// it), and for a tensor also `text/html`: a compact table of its shape and dtype above that same text.
enum RichOutput {
    /// The bundle for `value`, whose plain text is `text`.
    static func data(_ value: Value, text: String) -> [String: String] {
        guard case .tensor(let tensor) = value else { return ["text/plain": text] }
        let rows = [("shape", TensorShape(tensor.shape).description), ("dtype", tensor.dtype.torchName)]
        let table = rows.map { "<tr><th>\($0.0)</th><td><code>\(escaped($0.1))</code></td></tr>" }.joined()
        return ["text/plain": text, "text/html": "<table>\(table)</table><pre>\(escaped(text))</pre>"]
    }

    /// `text` with `&`, `<` and `>` escaped for HTML.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
