global using Microsoft.Extensions.DependencyInjection;
global using Webhooks.Core;
