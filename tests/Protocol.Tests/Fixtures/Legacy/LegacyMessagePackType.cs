namespace Replicator.Protocol.Tests.Fixtures.Legacy;

/// <summary>The MessagePack type family of the next value, from its format byte.</summary>
internal enum LegacyMessagePackType
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
