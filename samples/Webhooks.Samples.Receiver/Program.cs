Console.WriteLine("Webhooks.Samples.Receiver");
