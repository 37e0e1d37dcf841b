# Builds the server from this repository and runs it on a Java 17 runtime.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY terminology terminology
COPY profiles profiles
COPY mappings mappings
COPY server server
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /app proactivecare
WORKDIR /app
COPY --from=build /src/server/target/proactive-care-server.jar /app/proactive-care-server.jar
USER proactivecare
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/proactive-care-server.jar"]
