// vxsnd: the Replicator service node. Composition only; features live in their folders.
Console.WriteLine("vxsnd: not yet implemented");
return 0;
