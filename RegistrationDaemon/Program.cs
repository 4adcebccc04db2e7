// vxrd: the Replicator registration daemon. Composition only; features live in their folders.
Console.WriteLine("vxrd: not yet implemented");
return 0;
