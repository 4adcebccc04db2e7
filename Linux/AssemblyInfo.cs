using System.Runtime.CompilerServices;

// Only blittable signatures compile: every native call is explicit about its layout.
[assembly: DisableRuntimeMarshalling]
