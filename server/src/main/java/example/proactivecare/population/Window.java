package example.proactivecare.population;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated period, {@code --start} to {@code --end} inclusive, in days since the epoch, with its months and fast
 * formatting of local (Europe/London) times and dates. The generator picks times as wall-clock minutes since the epoch;
 * each is written with the UK offset in force at that time (a wall-clock time the spring change skips is moved an hour
 * later, as {@link java.time.ZonedDateTime} does), and a length is added to the instant, never to the wall clock, so
 * an end is never before its start.
 */
final class Window {

    static final ZoneId UK = ZoneId.of("Europe/London");
    private static final int MARGIN_DAYS = 800;

    final LocalDate start;
    final LocalDate end;
    final int startDay;
    final int endDay;
    final List<YearMonth> months;
    final int[] monthFirstDay;
    final int[] monthLastDay;
    /** The first day of the last 12 months (or of the window, if shorter). */
    final int lastYearStart;

    private final int cacheFirstDay;
    private final String[] dates;
    /** Each cached day's UK offset (at noon), as written and in minutes. */
    private final String[] offsets;

    private final int[] offsetMinutes;
    /** Whether the UK offset changes during the day (the clock-change Sundays): those days take java.time's path. */
    private final boolean[] offsetChanges;
    /** The instant (minutes since the epoch) each cached day starts at in the UK, and the one after the last. */
    private final long[] dayStarts;

    Window(LocalDate start, LocalDate end) {
        this.start = start;
        this.end = end;
        this.startDay = (int) start.toEpochDay();
        this.endDay = (int) end.toEpochDay();
        List<YearMonth> list = new ArrayList<>();
        for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(end)); m = m.plusMonths(1)) {
            list.add(m);
        }
        this.months = List.copyOf(list);
        this.monthFirstDay = new int[months.size()];
        this.monthLastDay = new int[months.size()];
        for (int i = 0; i < months.size(); i++) {
            monthFirstDay[i] = (int) Math.max(months.get(i).atDay(1).toEpochDay(), startDay);
            monthLastDay[i] = (int) Math.min(months.get(i).atEndOfMonth().toEpochDay(), endDay);
        }
        this.lastYearStart =
                Math.max(startDay, (int) end.minusYears(1).plusDays(1).toEpochDay());
        this.cacheFirstDay = startDay - MARGIN_DAYS;
        int cacheDays = endDay - startDay + 1 + 2 * MARGIN_DAYS;
        this.dates = new String[cacheDays];
        this.offsets = new String[cacheDays];
        this.offsetMinutes = new int[cacheDays];
        this.offsetChanges = new boolean[cacheDays];
        this.dayStarts = new long[cacheDays + 1];
        for (int i = 0; i <= cacheDays; i++) {
            LocalDate day = LocalDate.ofEpochDay(cacheFirstDay + i);
            dayStarts[i] = day.atStartOfDay(UK).toEpochSecond() / 60;
            if (i == cacheDays) {
                break;
            }
            ZoneOffset noon = UK.getRules().getOffset(LocalDateTime.of(day, LocalTime.NOON));
            dates[i] = day.toString();
            offsets[i] = text(noon);
            offsetMinutes[i] = noon.getTotalSeconds() / 60;
            ZoneOffset atStart = UK.getRules().getOffset(day.atStartOfDay(UK).toInstant());
            ZoneOffset atEnd = UK.getRules()
                    .getOffset(day.plusDays(1).atStartOfDay(UK).toInstant().minusSeconds(1));
            offsetChanges[i] = !atStart.equals(noon) || !atEnd.equals(noon);
        }
    }

    int days() {
        return endDay - startDay + 1;
    }

    /** The index of the month of a day in the window, or -1 outside it. */
    int monthOf(int day) {
        if (day < startDay || day > endDay) {
            return -1;
        }
        int low = 0;
        int high = months.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (monthFirstDay[mid] <= day) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    String date(int day) {
        int i = day - cacheFirstDay;
        return i >= 0 && i < dates.length ? dates[i] : LocalDate.ofEpochDay(day).toString();
    }

    /**
     * A wall-clock time written with seconds and the UK offset in force then, e.g. 2021-08-02T09:10:00+01:00; a time the
     * spring change skips is written an hour later (01:30 on that day as 02:30+01:00).
     */
    String dateTime(long minute) {
        return dateTimeAt(instant(minute));
    }

    /**
     * The time {@code minutes} after the wall-clock time {@code start}, written as {@link #dateTime}: the length is
     * added to the instant, so across a clock change the wall-clock difference is an hour more or less than {@code
     * minutes}, and the result is never before {@code dateTime(start)}.
     */
    String dateTimeAfter(long start, int minutes) {
        return dateTimeAt(instant(start) + minutes);
    }

    /** The instant (minutes since the epoch) of a wall-clock time, resolved as {@link java.time.ZonedDateTime} does. */
    long instant(long minute) {
        int i = (int) Math.floorDiv(minute, 1440) - cacheFirstDay;
        if (i >= 0 && i < dates.length && !offsetChanges[i]) {
            return minute - offsetMinutes[i];
        }
        return LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC)
                        .atZone(UK)
                        .toEpochSecond()
                / 60;
    }

    /** An instant (minutes since the epoch) written as its UK wall-clock time with seconds and offset. */
    String dateTimeAt(long instant) {
        int i = (int) Math.floorDiv(instant, 1440) - cacheFirstDay;
        // the UK day an instant falls in starts within a day of its UTC day
        if (i >= 0 && i < dates.length && instant < dayStarts[i]) {
            i--;
        } else if (i >= 0 && i < dates.length && instant >= dayStarts[i + 1]) {
            i++;
        }
        if (i >= 0 && i < dates.length && !offsetChanges[i]) {
            return format(dates[i], (int) (instant - dayStarts[i]), offsets[i]);
        }
        ZonedDateTime local = Instant.ofEpochSecond(instant * 60).atZone(UK);
        return format(
                local.toLocalDate().toString(), local.getHour() * 60 + local.getMinute(), text(local.getOffset()));
    }

    private static String format(String date, int minuteOfDay, String offset) {
        StringBuilder text = new StringBuilder(25).append(date).append('T');
        int hour = minuteOfDay / 60;
        int min = minuteOfDay % 60;
        if (hour < 10) {
            text.append('0');
        }
        text.append(hour).append(':');
        if (min < 10) {
            text.append('0');
        }
        return text.append(min).append(":00").append(offset).toString();
    }

    private static String text(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
    }

    static int dayOfWeek(int epochDay) {
        return Math.floorMod(epochDay + 3, 7); // 0 = Monday
    }
}
