// A host exposing the Webhooks.Core management API and POST /events; see README.md for a curl session.
//
//   dotnet run --project samples/Webhooks.Samples.Api
using Webhooks.Samples.Api;

SampleApi.Build(args).Run();
