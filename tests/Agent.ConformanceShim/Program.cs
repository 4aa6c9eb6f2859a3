using UpdateAgent.ConformanceShim;

return ShimCommand.Run(args, Console.Out, Console.Error);
