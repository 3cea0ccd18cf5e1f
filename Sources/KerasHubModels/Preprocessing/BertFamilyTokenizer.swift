/// A WordPiece tokenizer with BERT's special tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`):
/// ``BertTokenizer`` and ``DistilBertTokenizer``.
public protocol BertFamilyTokenizer: TokenizerProtocol {
    /// `[CLS]`.
    var clsTokenId: Int32 { get }
    /// `[SEP]`.
    var sepTokenId: Int32 { get }
    /// `[PAD]`.
    var padTokenId: Int32 { get }
    /// `[MASK]`.
    var maskTokenId: Int32 { get }
}

extension BertTokenizer: BertFamilyTokenizer {}
extension DistilBertTokenizer: BertFamilyTokenizer {}
