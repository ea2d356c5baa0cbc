extension PreTrainedTokenizer {
    /// The special tokens by role, each an `AddedToken` (RoBERTa's `<mask>` takes in the space before it).
    public struct SpecialTokens: Sendable {
        /// The roles, in transformers' order (`SPECIAL_TOKENS_ATTRIBUTES`), named as its attributes are.
        public enum Role: String, CaseIterable, Sendable {
            case bos = "bos_token", eos = "eos_token", unknown = "unk_token", separator = "sep_token", padding = "pad_token",
                 classifier = "cls_token", mask = "mask_token"
        }

        public var tokens: [Role: AddedToken]

        public init(_ tokens: [Role: AddedToken] = [:]) { self.tokens = tokens }

        /// The token of `role`, if the tokenizer has one.
        public subscript(_ role: Role) -> String? {
            get { tokens[role]?.content }
            set { tokens[role] = newValue.map { AddedToken($0) } }
        }

        /// These with `token` for `role`.
        public func with(_ role: Role, _ token: String) -> SpecialTokens {
            var out = self
            out[role] = token
            return out
        }

        /// `special_tokens_map`: each role that has a token, in transformers' order.
        public var map: [(String, String)] { Role.allCases.compactMap { role in self[role].map { (role.rawValue, $0) } } }

        /// The special tokens as added tokens, in role order.
        public var addedTokens: [AddedToken] { Role.allCases.compactMap { tokens[$0] } }

        /// These, each role overridden by what each of `sources` (tokenizer_config.json, special_tokens_map.json) sets
        /// for it: a string, an AddedToken object, or null for none.
        func overridden(by sources: [[String: Any]]) -> SpecialTokens {
            var out = self
            for source in sources {
                for role in Role.allCases where source.keys.contains(role.rawValue) {
                    out.tokens[role] = Self.addedToken(source[role.rawValue], keeping: out.tokens[role])
                }
            }
            return out
        }

        /// A token given as a string or as an AddedToken object (`{"content": ..., "lstrip": ...}`); a string keeps the
        /// matching flags of `current` if it is the same token.
        static func addedToken(_ value: Any?, keeping current: AddedToken? = nil) -> AddedToken? {
            if let content = value as? String { return current?.content == content ? current : AddedToken(content) }
            guard let object = value as? [String: Any], let content = object["content"] as? String else { return nil }
            return AddedToken(content, leftStrip: object["lstrip"] as? Bool ?? false, rightStrip: object["rstrip"] as? Bool ?? false,
                              singleWord: object["single_word"] as? Bool ?? false)
        }
    }
}
