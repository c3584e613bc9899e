Console.WriteLine("Webhooks.Samples.Api");
