/// Text classification with XLM-RoBERTa, as KerasHub's `XLMRobertaTextClassifier`: RoBERTa's head
/// (see ``RobertaTextClassifier``) on an ``XLMRobertaBackbone``.
public final class XLMRobertaTextClassifier: RobertaTextClassifier, @unchecked Sendable {}

/// Masked-token prediction with XLM-RoBERTa, as KerasHub's `XLMRobertaMaskedLM`: RoBERTa's head
/// (see ``RobertaMaskedLM``) on an ``XLMRobertaBackbone``.
public final class XLMRobertaMaskedLM: RobertaMaskedLM, @unchecked Sendable {}

/// Sentence embeddings from an XLM-RoBERTa backbone, as KerasHub's `XLMRobertaTextEmbedder`
/// (multilingual-e5, bge-m3): see ``TextEmbedder``.
public final class XLMRobertaTextEmbedder: TextEmbedder, @unchecked Sendable {}
