Console.WriteLine("Webhooks.Samples.Quickstart");
