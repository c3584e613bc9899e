// A webhook receiver that verifies Standard Webhooks signatures, answers the handshake and prints what it receives.
//
//   dotnet run --project samples/Webhooks.Samples.Receiver -- --Receiver:Secret=whsec_...
using Webhooks.Samples.Receiver;

SampleReceiver.Build(args).Run();
