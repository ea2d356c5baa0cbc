/// The task names transformers 4.46 knows (`SUPPORTED_TASKS` and `TASK_ALIASES`), so that a task sbpl does not
/// implement is told apart from a name that is no task at all.
public enum TransformersTasks {
    public static let names: Set<String> = [
        "audio-classification", "automatic-speech-recognition", "depth-estimation", "document-question-answering",
        "feature-extraction", "fill-mask", "image-classification", "image-feature-extraction", "image-segmentation",
        "image-to-image", "image-to-text", "mask-generation", "ner", "object-detection", "question-answering",
        "sentiment-analysis", "summarization", "table-question-answering", "text-classification",
        "text-generation", "text-to-audio", "text-to-speech", "text2text-generation", "token-classification",
        "translation", "video-classification", "visual-question-answering", "vqa", "zero-shot-audio-classification",
        "zero-shot-classification", "zero-shot-image-classification", "zero-shot-object-detection",
    ]

    /// Whether transformers has a pipeline called `name` (including `translation_XX_to_YY`).
    public static func knows(_ name: String) -> Bool {
        names.contains(name) || (name.hasPrefix("translation_") && name.contains("_to_"))
    }

    /// transformers' message (a KeyError's) for a name that is no task.
    public static func unknownTaskMessage(_ name: String) -> String {
        let available = (names.sorted() + ["translation_XX_to_YY"]).map { "'\($0)'" }.joined(separator: ", ")
        return "Unknown task \(name), available tasks are [\(available)]"
    }
}
