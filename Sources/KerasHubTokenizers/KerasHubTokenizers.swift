/// KerasHub tokenizers: WordPiece, byte-level BPE, SentencePiece, and the sequence packers.
public enum KerasHubTokenizers {}
