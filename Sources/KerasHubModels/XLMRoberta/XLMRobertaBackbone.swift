/// XLM-RoBERTa (Conneau et al., 2019), as KerasHub's `XLMRobertaBackbone`: RoBERTa's architecture
/// (``RobertaBackbone``) over a 250k-piece multilingual SentencePiece vocabulary
/// (``XLMRobertaTokenizer``). transformers' `xlm-roberta` checkpoints use RoBERTa's tensor names and
/// load through ``RobertaCheckpoint/transformersMapping(_:origin:)``.
public final class XLMRobertaBackbone: RobertaBackbone, @unchecked Sendable {}
