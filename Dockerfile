# One image for both processes; docker-compose.yml picks the entry point.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Api/Api.csproj -c Release -o /out/api \
 && dotnet publish src/ComputeWorker/ComputeWorker.csproj -c Release -o /out/compute

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=build /out /app
WORKDIR /app/api
EXPOSE 8774 8779
ENTRYPOINT ["dotnet", "Nova.Api.dll"]
