namespace Replicator.Protocol.MessagePack;

/// <summary>The MessagePack type family of the next value, from its format byte.</summary>
public enum MessagePackType
{
    Unknown = 0,
    Nil,
    Boolean,
    Integer,
    Float,
    String,
    Binary,
    Array,
    Map,
    Extension,
}
