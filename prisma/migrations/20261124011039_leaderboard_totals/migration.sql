-- CreateTable
CREATE TABLE "LeaderboardTotal" (
    "userId" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "track" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "solvedCount" INTEGER NOT NULL DEFAULT 0,
    "lastAwardAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LeaderboardTotal_pkey" PRIMARY KEY ("userId","period","periodStart","track")
);

-- CreateIndex
CREATE INDEX "LeaderboardTotal_period_periodStart_track_points_lastAwardA_idx" ON "LeaderboardTotal"("period", "periodStart", "track", "points" DESC, "lastAwardAt", "userId");

-- AddForeignKey
ALTER TABLE "LeaderboardTotal" ADD CONSTRAINT "LeaderboardTotal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
