Console.WriteLine("Webhooks.Core.LoadTest");
